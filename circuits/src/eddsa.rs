//! placeholder: eddsa
