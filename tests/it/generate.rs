//! Integration tests for `generate` (see the module's issue).
