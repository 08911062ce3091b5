"""The service-user and carer guides, which have no seed: written from the findings for an
ethics committee and a lived-experience panel to pass. Each test holds one of the fixes in
place: every findings theme covered, a narrative interview's length, a distress protocol
everywhere, reassurances, a debrief, open questions that do not lead, plain words."""

from __future__ import annotations

import pytest

from .test_shipped_guides import guide_text, load, norm, spoken

# ---------------------------------------------------------------- consent and closing

@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_reassure_that_care_is_not_affected_and_questions_can_be_left(name: str) -> None:
    text = {item.id: norm(item.text) for item in load(name).preamble}
    assert "won't affect" in text["care-not-affected"] and "in any way" in text["care-not-affected"]
    if name == "carer":
        assert "you or the person you support" in text["care-not-affected"]
    assert "You don't have to answer any question you'd rather not." in text["any-question"]


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_close_with_a_debrief_and_the_contacts_sheet(name: str) -> None:
    closing = {item.id: item for item in load(name).closing}
    assert list(closing) == ["anything-else", "thanks", "conference", "how-feeling", "contacts"]
    assert norm(closing["how-feeling"].text) == "How are you feeling after talking about all this?"
    assert "sheet" in closing["contacts"].text and "contact" in closing["contacts"].text
    # The seed's cryptic fragment is said in full, as an offer.
    conference = norm(closing["conference"].text)
    assert "conference in the spring of 2014" in conference and conference.endswith("?")



# ---------------------------------------------------------------- the questions

# Words each findings theme brings to the service-user and carer guides (any one will do).
THEME_WORDS = {
    "1 listening and responding": ("listened to", "listening", "heard"),
    "2 sharing perceptions of recovery": ('word "recovery"',),
    "3 recovery and wellness focus, WRAP": ("wrap",),
    "4 including and educating family and supporters": ("family",),
    "5 boundaries of confidentiality": ("confidential", "can and can't share"),
    "6.1 recognising when you are stuck": ("stuck",),
    "6.2 becoming unstuck": ("unstuck", "get moving again"),
    "6.3.1 positive risk and personal responsibility": ("comfort zone",),
    "6.3.1 responsibility": ("responsib",),
    "6.3.2 facilitating not fixing": ("to do yourself", "to do things themselves"),
    "6.3.3 signposting and peer support": ("peer support", "support group"),
    "7 recovery possible through care coordination": ("part can care coordination play",),
}


@pytest.mark.parametrize("name", ["service-user", "carer"])
@pytest.mark.parametrize("theme", sorted(THEME_WORDS))
def test_written_guides_cover_every_findings_theme(name: str, theme: str) -> None:
    text = guide_text(load(name)).lower()
    assert any(word in text for word in THEME_WORDS[theme]), f"{name} lacks theme {theme}"


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_follow_up_every_question(name: str) -> None:
    guide = load(name)
    assert 20 <= guide.question_count <= 30
    for _, q in guide.questions():
        assert q.probes or q.prompts, f"{q.id} has no probes or prompts"


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_fit_a_narrative_interview(name: str) -> None:
    """About 14 core questions; the rest optional; a core question has at most four follow-ups."""
    core = [q for _, q in load(name).questions() if not q.optional]
    assert 12 <= len(core) <= 16
    assert all(len(q.probes) + len(q.prompts) <= 5 for q in core)
    assert all(len(q.probes) <= 4 for q in core)


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_have_a_distress_protocol_everywhere(name: str) -> None:
    """Every question has a distress cue (its own or its stage's) that says to pause the
    recording, offer to carry on, take a break or stop, stop probing, and what a risk means."""
    for stage, q in load(name).questions():
        cue = norm(stage.distress_for(q)).lower()
        for words in ("pause the recording", "check in", "carry on", "break", "stop", "probing", "confidentiality"):
            assert words in cue, (q.id, words)


# Probes that lead, taken from the findings' own quotes or closed on a yes/no: the
# interviews must be able to find what the themes did not.
LEADING = (
    "ticking boxes", "equal partner", "worth the risk", "pushed out", "telling tales",
    "the same thing", "recovery is possible", "rather than just keeping things",
    "what was it about you", "your responsibility", "did you feel listened to",
)  # fmt: skip


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_do_not_lead(name: str) -> None:
    text = spoken(load(name)).lower()
    for words in LEADING:
        assert words not in text, words


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_explain_wrap_in_words(name: str) -> None:
    [question] = [q for _, q in load(name).questions() if "WRAP" in q.lead_in + q.ask]
    said = norm(question.lead_in + " " + question.ask)
    assert "Wellness Recovery Action Plan" in said and "triggers" in said and "early warning signs" in said


@pytest.mark.parametrize("name", ["service-user", "carer"])
def test_written_guides_avoid_clinical_terms_when_speaking(name: str) -> None:
    guide = load(name)
    said = " ".join([spoken(guide), *(i.text for i in guide.preamble), *(i.text for i in guide.closing)]).lower()
    for term in ("paternalis", "clustering", "medical model", "symptom", "diagnos", "patient"):
        assert term not in said, term
