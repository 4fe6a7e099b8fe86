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
    if text.isascii():
        return text.casefold()  # nothing to strip: the common case, and 20x faster
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """Every word token of a text, folded as the index folds it."""
    return _TOKEN.findall(_fold(text))


def terms(text: str) -> list[str]:
    """The literal search terms of some input (at most MAX_TERMS, each bounded)."""
    return [t[:MAX_TERM_CHARS] for t in tokens(text)][:MAX_TERMS]


def match_expression(text: str, *, prefix: bool = True) -> str | None:
    """An FTS5 MATCH expression that means "all these words, the last as a prefix"
    (or a whole word), or None when the input holds no searchable word."""
    words = terms(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    if prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def matches(text: str, words: list[str]) -> bool:
    """Whether `text` holds all `words`, the last as a prefix: the MATCH rule in Python,
    for filtering a handful of rows where the index would read every match."""
    if not words:
        return False
    have = set(tokens(text))
    *whole, last = words
    return all(w in have for w in whole) and any(t.startswith(last) for t in have)
