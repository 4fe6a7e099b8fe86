"""My caseload on the laptops officers are given: the CRN (the key) and the highest risk
with its MAPPA level are never elided, and the table stays inside the window.

At 1366x768 a "W" CRN showed as "W0965..." and "Risk to Staff · MAPPA level 3" as
"Risk to Staff · MA...": the MAPPA level asked for in issue 17 was the part cut off.
It now reads "Risk to Staff · MAPPA 3", in a column as wide as its widest text.
Each geometry runs in its own process (QT_SCALE_FACTOR is read once), as
test_fits_screens does.
"""

from __future__ import annotations

import pytest

from tests.ui.layout.test_fits_screens import LAPTOP_IDS, LAPTOPS, _inside, run_probe


@pytest.fixture(scope="module", params=LAPTOPS, ids=LAPTOP_IDS)
def report(request, tmp_path_factory) -> dict:
    where = tmp_path_factory.mktemp(f"caseload{request.param[0]}")
    return run_probe("tests.ui.layout.caseload_probe", request.param, where)


def test_the_crn_and_the_risk_with_its_mappa_level_are_shown_whole(report):
    assert [text for text, _needs, _width in report["cells"]] == [
        "W096588",
        "Risk to Staff · MAPPA 3",
        "M888888",
        "Very High RoSH · MAPPA 3",
    ]
    for text, needs, width in report["cells"]:
        assert needs <= width, f"{text!r} needs {needs} px, its column has {width}"


def test_the_caseload_table_fits_the_window_and_the_screen(report):
    assert _inside(report["window"], report["screen"])
    assert report["table_inside"]
    assert report["in_view"] == [True, True, True]  # CRN, risk, compliance
