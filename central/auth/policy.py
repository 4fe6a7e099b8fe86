"""The password policy an administrator's `users add` and `users reset-password` apply.

As the NCSC advises (Password policy: updating your approach; Cyber Essentials): a
minimum length, a deny-list of the passwords attackers try first, and no composition
rules (no "one capital, one digit, one symbol"), which push people to `Password1!`.
Every character is allowed, spaces included, and nothing is truncated; three random
words make a good one.

The deny-list (`common_passwords.json`, its source inside) is compact: the length
rule already refuses most breached passwords, so what matters is a common word
dressed up to reach the length (`Liverpool2024!`, `p@ssw0rd12345`,
`summersummer`), which the checks below undo before looking the word up.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 256  # a hash of a longer one costs the same; this only bounds the input
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")


class WeakPassword(ValueError):
    """A password the policy refuses; the message says what to do instead."""


@cache
def deny_list() -> frozenset[str]:
    text = resources.files("central.auth").joinpath("common_passwords.json").read_text("utf-8")
    return frozenset(json.loads(text)["passwords"])


def _cores(password: str) -> set[str]:
    """The word under the dressing: case, digits or symbols around it, look-alike digits."""
    plain = unicodedata.normalize("NFKC", password).casefold()
    found = {plain, _EDGES.sub("", plain)}
    leet = plain.translate(_LEET)
    found |= {leet, _EDGES.sub("", leet)}
    found |= {core.replace(" ", "") for core in list(found)}
    return {core for core in found if core}


def _repeats_a_word(core: str, words: frozenset[str]) -> bool:
    """`summersummer`, `abcabcabcabc`: one short piece said again and again."""
    for size in range(1, len(core) // 2 + 1):
        piece = core[:size]
        if len(core) % size == 0 and piece * (len(core) // size) == core:
            return size < 4 or piece in words
    return False


def check_password(password: str, *, username: str = "") -> None:
    """Nothing when `password` meets the policy, else `WeakPassword` saying why."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"A password needs at least {MIN_LENGTH} characters; "
            "three random words make a strong one that is easy to remember."
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"A password may have at most {MAX_LENGTH} characters.")
    if password.strip().isdigit():
        raise WeakPassword("A password of digits alone (a date, a phone number) is easy to guess.")
    words = deny_list()
    cores = _cores(password)
    if any(core in words or _repeats_a_word(core, words) for core in cores):
        raise WeakPassword(
            "That password is one of the most common ones attackers try first; choose another."
        )
    name = username.casefold()
    if len(name) >= 3 and any(name in core for core in cores):
        raise WeakPassword("A password must not contain the username.")
