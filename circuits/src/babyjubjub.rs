//! placeholder: babyjubjub
