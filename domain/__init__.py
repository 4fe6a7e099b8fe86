"""The probation domain: entities, reference data and rules, shared by client and server.

Pure Python: no Qt, no I/O beyond reading the reference data shipped in this package.
"""
