"""Letter templates: plain text with {placeholders}, checked on load, filled whole or not at all.

A template file is a few `key: value` header lines, a line `---`, then the letter:
blank lines separate paragraphs, `# ` starts a heading, `- ` a list item, and a
paragraph that starts with `[if FIELD]` is kept only when FIELD has a value. `{{` and
`}}` are literal braces. Every placeholder is checked against `MERGE_FIELDS` when the
template is loaded, so a mistyped field is an error naming the template and the field
before any letter is made; filling a template whose field has no value for this letter
is an error too, never a half-filled letter. docs/letters.md explains the choice.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal, get_args

from domain.errors import FieldcaseError
from domain.letters.facts import MERGE_FIELDS, Language, LetterKind

_HEADER_KEYS = frozenset({"id", "kind", "language", "version", "title"})
_CONDITION = re.compile(r"^\[if (\w+)\]\s*")
_VERSION = re.compile(r"^\d+(\.\d+)*$")
MAX_TEMPLATE_CHARS = 20_000

BlockKind = Literal["heading", "paragraph", "item"]


class LetterTemplateError(FieldcaseError):
    """A template that cannot be used: named, with the line or field at fault."""

    title = "Letter template not usable"


class LetterIncomplete(FieldcaseError):
    """A letter whose template asks for a fact this case does not have."""

    title = "Letter not produced"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class LetterTemplate:
    id: str
    kind: LetterKind
    language: Language
    version: str
    title: str
    blocks: tuple[Block, ...]
    source: str

    @property
    def name(self) -> str:
        return f"'{self.id}' ({self.language}, version {self.version})"

    def fields(self) -> frozenset[str]:
        used = {f for b in self.blocks for f in placeholders(b.text)}
        return frozenset(used | {b.condition for b in self.blocks if b.condition})


def version_key(version: str) -> tuple[int, ...]:
    """Versions compare as numbers part by part: 2026.12.10 is newer than 2026.12.9."""
    return tuple(int(part) for part in version.split("."))


def placeholders(text: str) -> list[str]:
    """The field names in `text`; attribute access, indexing and formats are refused."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise ValueError(
            f"a brace is not closed ({error}); write {{{{ for a literal brace"
        ) from None
    found = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"{{{field}}} is not a plain field name")
        found.append(field)
    return found


def parse_template(text: str, origin: str) -> LetterTemplate:
    """Read and validate one template; `origin` (a file name) names it in errors."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise LetterTemplateError(f"Letter template {origin} is longer than 20,000 characters.")
    head, sep, body = text.replace("\r\n", "\n").partition("\n---\n")
    if not sep:
        raise LetterTemplateError(
            f"Letter template {origin} has no '---' line between its header and its text."
        )
    header = _header(head, origin)
    template = LetterTemplate(
        id=header["id"],
        kind=header["kind"],  # type: ignore[arg-type]  # checked by _header
        language=header["language"],  # type: ignore[arg-type]
        version=header["version"],
        title=header["title"],
        blocks=_blocks(body, f"{origin} ('{header['id']}', {header['language']})"),
        source=text,
    )
    unknown = sorted(template.fields() - MERGE_FIELDS)
    if unknown:
        raise LetterTemplateError(
            f"Letter template {template.name} uses an unknown merge field {{{unknown[0]}}}. "
            f"Known fields: {', '.join(sorted(MERGE_FIELDS))}."
        )
    return template


def _header(head: str, origin: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in head.strip().splitlines():
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in _HEADER_KEYS:
            raise LetterTemplateError(f"Letter template {origin}: header line '{line}' not known.")
        header[key.strip()] = value.strip()
    missing = sorted(_HEADER_KEYS - header.keys())
    if missing:
        raise LetterTemplateError(f"Letter template {origin} has no '{missing[0]}' header line.")
    if header["kind"] not in get_args(LetterKind):
        raise LetterTemplateError(f"Letter template {origin}: kind '{header['kind']}' not known.")
    if header["language"] not in get_args(Language):
        raise LetterTemplateError(f"Letter template {origin}: language must be 'en' or 'cy'.")
    if not _VERSION.match(header["version"]):
        raise LetterTemplateError(
            f"Letter template {origin}: version '{header['version']}' must be numbers and dots."
        )
    return header


def _blocks(body: str, origin: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for raw in re.split(r"\n\s*\n", body.strip()):
        condition, chunk = None, raw
        found = _CONDITION.match(raw)
        if found:
            condition, chunk = found.group(1), raw[found.end() :]
        for block in _chunk_blocks(chunk.strip("\n")):
            try:
                placeholders(block.text)
            except ValueError as error:
                raise LetterTemplateError(f"Letter template {origin}: {error}.") from None
            blocks.append(Block(block.kind, block.text, condition))
    return tuple(b for b in blocks if b.text)


def _chunk_blocks(chunk: str) -> list[Block]:
    """A heading line, list items, or one paragraph whose line breaks are kept."""
    lines = chunk.splitlines()
    if lines and lines[0].startswith("# "):
        rest = "\n".join(lines[1:])
        return (
            [Block("heading", lines[0][2:].strip()), *_chunk_blocks(rest)]
            if rest
            else [Block("heading", lines[0][2:].strip())]
        )
    if lines and all(line.startswith("- ") for line in lines):
        return [Block("item", line[2:].strip()) for line in lines]
    return [Block("paragraph", chunk.strip())]


@dataclass(frozen=True, slots=True)
class FilledSection:
    """One language's letter, filled: what the PDF and the editable copy both lay out."""

    language: Language
    title: str
    blocks: tuple[tuple[BlockKind, str], ...]


def fill(template: LetterTemplate, values: dict[str, str]) -> FilledSection:
    """The letter with every field filled, or LetterIncomplete naming the first gap."""
    out: list[tuple[BlockKind, str]] = []
    for block in template.blocks:
        if block.condition is not None and not values.get(block.condition, "").strip():
            continue
        for field in placeholders(block.text):
            if not values.get(field, "").strip():
                raise LetterIncomplete(
                    f"The letter {template.name} needs {{{field}}}, which this case does "
                    "not have. Add it to the case, or ask for the template to be changed."
                )
        out.append((block.kind, block.text.format_map(values)))
    return FilledSection(template.language, template.title, tuple(out))
