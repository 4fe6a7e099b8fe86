"""The application layer: session, use cases, settings, the sync bridge and the entry point.

No widgets here; `ui/` talks only to this package.
"""
