//! Partner-API sandbox (being written).
