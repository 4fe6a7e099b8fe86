"""Fieldcase."""
