"""Versioned reference data files (JSON), read through `domain.reference`."""
