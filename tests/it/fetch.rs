//! Integration tests for `fetch` (see the module's issue).
