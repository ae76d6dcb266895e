//! vouchsafe
