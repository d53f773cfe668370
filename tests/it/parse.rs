//! Integration tests for `parse` (see the module's issue).
