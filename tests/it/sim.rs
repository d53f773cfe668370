//! Integration tests for `sim` (see the module's issue).
