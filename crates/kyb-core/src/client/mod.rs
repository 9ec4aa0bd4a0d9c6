//! HTTP client for the partner API (being written).
