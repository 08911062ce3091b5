"""The study's codebook, shared by the three guides: the findings' seven themes, theme 6's
hierarchy, descriptions that say what the findings say, and `other` for the unplanned."""

from __future__ import annotations

from .test_shipped_guides import load, norm

THEMES = {
    "listening": None,
    "perceptions": None,
    "wellness-focus": None,
    "family": None,
    "confidentiality": None,
    "stuck": None,
    "stuck.recognising": "stuck",
    "stuck.unstuck": "stuck",
    "stuck.preventing": "stuck",
    "stuck.preventing.risk": "stuck.preventing",
    "stuck.preventing.facilitating": "stuck.preventing",
    "stuck.preventing.signposting": "stuck.preventing",
    "recovery-possible": None,
    "other": None,
}


def test_codebook_holds_the_seven_themes_and_the_theme_6_hierarchy() -> None:
    codes = load("professional").codebook
    assert {c.id: c.parent for c in codes} == THEMES
    assert all(c.label and c.description for c in codes)
    labels = {c.id: c.label for c in codes}
    assert labels["listening"] == "Listening and responding"
    assert labels["stuck.preventing.facilitating"] == "Facilitating not fixing"
    assert "WRAP" in load("professional").code("wellness-focus").description


def test_codebook_descriptions_say_what_the_findings_say() -> None:
    guide = load("professional")
    description = {c.id: norm(c.description).lower() for c in guide.codebook}
    for words in ("paternalism", "risk-aversion", "blame culture"):
        assert words in description["stuck.recognising"]
    assert "power and expertise" in description["wellness-focus"] and "assumptions" in description["wellness-focus"]
    assert "crisis" in description["family"] and "left out" in description["family"]
    assert "none of the themes" in description["other"]


def test_all_guides_share_one_codebook() -> None:
    assert load("service-user").codebook == load("professional").codebook
    assert load("carer").codebook == load("professional").codebook
