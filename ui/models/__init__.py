"""Item models over the app layer's frozen rows (CONVENTIONS §6)."""
