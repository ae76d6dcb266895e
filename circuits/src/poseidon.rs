//! placeholder: poseidon
