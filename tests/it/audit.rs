//! Integration tests for `audit` (see the module's issue).
