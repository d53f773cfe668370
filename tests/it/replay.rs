//! Integration tests for `replay` (see the module's issue).
