"""National default letter templates (plain text with {placeholders}); see docs/letters.md."""
