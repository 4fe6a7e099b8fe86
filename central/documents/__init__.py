"""Documents on the central service: bytes by SHA-256, chunked uploads, ranged downloads."""
