"""Full-text search that accepts anything an officer types.

FTS5 has its own query language (quotes, AND/OR/NOT, *, ^, brackets, column filters);
officer input is never passed to it raw. Input is cut into word tokens the same way the
index cut the text, each token is quoted as a literal, and the last one is a prefix, so
"o'brien-sm" finds O'Brien-Smith and `"(AND *` finds nothing rather than failing.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TERMS = 8
MAX_TERM_CHARS = 64

# unicode61 keeps letters, numbers and private-use characters; everything else separates.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def terms(text: str) -> list[str]:
    """The literal search terms of some input (at most MAX_TERMS, each bounded)."""
    found = [t[:MAX_TERM_CHARS] for t in _TOKEN.findall(_fold(text))]
    return found[:MAX_TERMS]


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression that means "all these words, the last as a prefix",
    or None when the input holds no searchable word."""
    words = terms(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
