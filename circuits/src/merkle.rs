//! placeholder: merkle
