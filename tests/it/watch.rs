//! Integration tests for `watch` (see the module's issue).
