//! placeholder: compare
