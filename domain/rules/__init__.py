"""The business rules practitioners live by, one small module per rule.

Pure functions over domain entities and reference data: no I/O, no clock (the
caller passes `today`), so the client and the central service reach the same
answer from the same records.
"""
