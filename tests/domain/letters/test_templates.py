"""Templates: every shipped one loads, a bad field is named, a letter is whole or not made."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.letters.catalogue import TemplateSet, shipped_templates
from domain.letters.facts import LetterFacts, Meeting, long_date, merge_values
from domain.letters.record import TemplateRef
from domain.letters.templates import LetterIncomplete, LetterTemplateError, parse_template

FACTS = LetterFacts(
    person_name="Testy Example",
    address_lines=("1 Fake Street", "Cardiff", "ZZ1 1ZZ"),
    crn="X320741",
    dated=dt.date(2026, 11, 20),
    officer_name="Sam Officer",
    office_name="Cardiff Probation Office",
    office_phone="01632 960000",
    appointment=Meeting(
        type_text="Planned Office Visit",
        date=dt.date(2026, 11, 18),
        start_time=dt.time(14, 30),
        place="Cardiff Probation Office",
    ),
    respond_by=dt.date(2026, 11, 27),
)

HEADER = "id: t\nkind: warning_first\nlanguage: en\nversion: 1.2\ntitle: T\n---\n"


def test_every_kind_ships_in_english_and_welsh() -> None:
    templates = shipped_templates()
    kinds = {"appointment", "warning_first", "warning_second", "breach", "licence_compliance"}
    assert {(t.kind, t.language) for t in templates.templates()} == {
        (k, lang) for k in kinds for lang in ("en", "cy")
    }


def test_an_unknown_merge_field_names_the_template_and_the_field() -> None:
    with pytest.raises(LetterTemplateError) as raised:
        parse_template(HEADER + "Dear {person_nmae},", "region/warning.txt")
    assert "'t' (en, version 1.2)" in raised.value.message
    assert "{person_nmae}" in raised.value.message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("Dear {person_name", "brace"),
        ("Dear {person_name.upper}", "not a plain field name"),
        ("Dear {person_name!r}", "not a plain field name"),
        ("[if nonsense] Hello", "{nonsense}"),
    ],
)
def test_malformed_placeholders_are_refused_on_load(body: str, words: str) -> None:
    with pytest.raises(LetterTemplateError, match=words.replace("{", r"\{").replace("}", r"\}")):
        parse_template(HEADER + body, "x.txt")


def test_a_missing_header_line_is_refused() -> None:
    with pytest.raises(LetterTemplateError, match="'version'"):
        parse_template("id: t\nkind: breach\nlanguage: en\ntitle: T\n---\nHello", "x.txt")


def test_a_field_without_a_value_refuses_the_whole_letter() -> None:
    template = parse_template(HEADER + "Hello {person_name}.\n\nSee you {next_date}.", "x.txt")
    with pytest.raises(LetterIncomplete, match=r"\{next_date\}"):
        TemplateSet([template]).record("warning_first", ("en",), FACTS)


def test_a_conditional_paragraph_is_left_out_without_its_field() -> None:
    text = HEADER + "Hello {person_name}.\n\n[if next_date] Next: {next_date}.\n\n{{braces}}"
    templates = TemplateSet([parse_template(text, "x.txt")])
    [section] = templates.render(templates.record("warning_first", ("en",), FACTS))
    assert [t for _k, t in section.blocks] == ["Hello Testy Example.", "{braces}"]


def test_welsh_dates_need_no_locale() -> None:
    assert long_date(dt.date(2026, 11, 27), "cy") == "Dydd Gwener 27 Tachwedd 2026"
    assert long_date(dt.date(2026, 11, 27), "en") == "Friday 27 November 2026"
    assert merge_values(FACTS, "cy")["respond_by"] == "Dydd Gwener 27 Tachwedd 2026"


def test_a_bilingual_warning_is_welsh_first_and_states_the_missed_appointment() -> None:
    templates = shipped_templates()
    letter = templates.record("warning_first", ("cy", "en"), FACTS)
    welsh, english = templates.render(letter)
    assert (welsh.language, english.language) == ("cy", "en")
    text = "\n".join(t for _k, t in english.blocks)
    assert "Wednesday 18 November 2026" in text
    assert "14:30" in text
    assert "Cardiff Probation Office" in text
    assert "unacceptable" in text
    assert "by Friday 27 November 2026" in text
    assert "breach proceedings" in text
    assert "recalled" not in text
    assert "erbyn Dydd Gwener 27 Tachwedd 2026" in "\n".join(t for _k, t in welsh.blocks)


def test_a_licence_warning_threatens_recall_not_breach() -> None:
    templates = shipped_templates()
    facts = FACTS.model_copy(update={"licence": True})
    [english] = templates.render(templates.record("warning_first", ("en",), facts))
    text = "\n".join(t for _k, t in english.blocks)
    assert "recalled to prison" in text
    assert "breach proceedings" not in text


def test_the_newest_version_is_current_and_old_ones_still_reprint() -> None:
    newer = parse_template(
        HEADER.replace("version: 1.2", "version: 2026.12.10") + "New {person_name}", "n.txt"
    )
    older = parse_template(
        HEADER.replace("version: 1.2", "version: 2026.12.9") + "Old {person_name}", "o.txt"
    )
    templates = TemplateSet([older, newer])
    assert templates.current("warning_first", "en").version == "2026.12.10"
    letter = templates.record("warning_first", ("en",), FACTS)
    old_letter = letter.model_copy(
        update={"templates": (TemplateRef(id="t", language="en", version="2026.12.9"),)}
    )
    [section] = templates.render(old_letter)
    assert section.blocks == (("paragraph", "Old Testy Example"),)
    with pytest.raises(LetterTemplateError, match="not on this laptop"):
        TemplateSet([newer]).render(old_letter)
