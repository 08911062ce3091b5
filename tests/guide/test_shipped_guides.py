"""The three shipped topic guides and their codebook load, and say what the study says.

The professional guide is checked against the seed topic guide phrase by phrase, in
order, so a dropped or reordered question fails here rather than in an interview. The
service-user and carer guides have no seed: they are checked for the shared arc, the
same consent promises and words from every findings theme.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from companion.guide.model import Guide

loader = pytest.importorskip(
    "companion.guide.loader", reason="companion.guide.loader is not written yet"
)

GUIDES = Path(__file__).resolve().parents[2] / "guides"


@cache
def load(name: str) -> Guide:
    return loader.load_guide(GUIDES / f"{name}.yaml")


def norm(text: str) -> str:
    """Whitespace collapsed and curly quotes straightened, for comparing wording."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def guide_text(guide: Guide) -> str:
    """Everything in the guide in reading order, as one normalised string."""
    parts: list[str] = [item.text for item in guide.preamble]
    for stage in guide.stages:
        parts += [stage.title, stage.intro, stage.note]
        for q in stage.questions:
            parts += [q.lead_in, q.ask, *q.probes, *q.prompts, q.present, q.context]
    parts += [item.text for item in guide.closing]
    return norm(" ".join(p for p in parts if p))


# ---------------------------------------------------------------- shape of each guide

EXPECTED = {
    "professional": dict(
        audience="professional",
        id_rule=("PR", "PR[0-9]{1,4}", "PR11"),
        stages=[
            "Context",
            "Early stages – setting up",
            "Middle stages – consolidation",
            "As time goes on – embedding recovery in daily life",
            "Roles of others – carers",
            "Some examples",
            "Final stages – limits, exit or something else?",
        ],
        counts=[3, 5, 3, 7, 4, 5, 6],
    ),
    "service-user": dict(
        audience="service-user",
        id_rule=("SU", "SU[0-9]{1,4}", "SU106"),
        stages=[
            "About you",
            "Early days – getting started",
            "Further on – working together",
            "As time goes on – daily life",
            "Roles of others – the people around you",
            "Some examples",
            "Towards the end – moving on",
        ],
        counts=[2, 5, 5, 5, 3, 3, 3],
    ),
    "carer": dict(
        audience="carer",
        id_rule=("C", "C[0-9]{1,4}", "C09"),
        stages=[
            "About you",
            "Early days – getting started",
            "Further on – working together",
            "As time goes on – daily life",
            "Roles of others – you, your family and other supporters",
            "Some examples",
            "Towards the end – moving on",
        ],
        counts=[2, 4, 5, 4, 3, 3, 3],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_guide_loads_with_expected_shape(name: str) -> None:
    guide, want = load(name), EXPECTED[name]
    assert guide.id == name
    assert guide.audience == want["audience"]
    rule = guide.participant_id
    assert (rule.prefix, rule.pattern, rule.example) == want["id_rule"]
    assert [s.title for s in guide.stages] == want["stages"]
    assert [len(s.questions) for s in guide.stages] == want["counts"]
    assert guide.question_count == sum(want["counts"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_participant_id_rule_accepts_ids_and_refuses_others(name: str) -> None:
    rule = load(name).participant_id
    others = {r[2] for n, w in EXPECTED.items() if n != name for r in [w["id_rule"]]}
    assert rule.matches(rule.example)
    assert not rule.matches(rule.prefix)
    assert not any(rule.matches(other) for other in others)
    assert not rule.matches("Jane Smith")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_study_is_the_northumbria_project_kept_three_years(name: str) -> None:
    study = load(name).study
    assert study.name == "Mental Health Recovery and Care Coordination Research Project"
    assert study.institution == "Northumbria University"
    assert study.retention_years == 3
    assert study.project_end is None  # unknown: set in the YAML once known


# ---------------------------------------------------------------- consent and closing

PREAMBLE_IDS = [
    "thanks", "study", "voluntary", "breaks", "phone-silent", "record", "id-not-name",
    "confidentiality", "destruction", "secure", "questions", "consent-form",
]  # fmt: skip
# The written guides add two reassurances after "voluntary": care is not affected, and
# no question has to be answered.
REASSURANCES = ["care-not-affected", "any-question"]


def preamble_ids(name: str) -> list[str]:
    if name == "professional":
        return PREAMBLE_IDS
    at = PREAMBLE_IDS.index("voluntary") + 1
    return PREAMBLE_IDS[:at] + REASSURANCES + PREAMBLE_IDS[at:]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_preamble_makes_the_same_promises_and_requires_record_and_consent(name: str) -> None:
    preamble = load(name).preamble
    assert [item.id for item in preamble] == preamble_ids(name)
    assert {item.id for item in preamble if item.required} == {"record", "consent-form"}
    assert [item.id for item in preamble if item.recording_permission] == ["record"]
    text = {item.id: norm(item.text).lower() for item in preamble}
    assert "stop at any time" in text["voluntary"] and "reason" in text["voluntary"]
    assert "break" in text["breaks"]
    assert "silent" in text["phone-silent"]
    assert "record" in text["record"] and "permission" in text["record"]
    assert "id number" in text["id-not-name"] and "not your name" in text["id-not-name"]
    assert "confidential" in text["confidentiality"]
    assert "serious risk" in text["confidentiality"] and "someone who can help" in text["confidentiality"]
    assert "destroyed three years after the project ends" in text["destruction"]
    assert "locked" in text["secure"] and "secure" in text["secure"]
    assert "consent form" in text["consent-form"]


def test_professional_closing_is_the_seed_with_its_shorthand_explained() -> None:
    closing = load("professional").closing
    assert [item.id for item in closing] == ["anything-else", "thanks", "conference"]
    assert [norm(item.text) for item in closing] == [
        "Anything else you wish to say?", "Thank you for your time.", "Conference in Spring of 2014.",
    ]  # fmt: skip
    assert "shorthand" in closing[2].note.lower()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_describe_a_time_questions_carry_their_sub_prompts(name: str) -> None:
    describe = [q for _, q in load(name).questions() if q.ask.startswith("Describe a time when")]
    assert len(describe) >= 2
    assert all(len(q.prompts) >= 4 for q in describe)


# ---------------------------------------------------------------- the professional guide

# The seed topic guide (shared/seeds/000_63cf93d74ea5fbb0.txt), phrase by phrase in its
# order, with the typos the guide corrects already corrected.
SEED_PHRASES = [
    # Preamble
    "Thanks for agreeing to be involved",
    "Northumbria University research study into the dual pathway of care coordination and recovery",
    "This research is voluntary; you can stop at any time without any negative consequence.",
    "You don't even need to give a reason.",
    "If you need a break just say so.",
    "Would you mind putting your phone on silent",
    "With your permission we will digitally record the interview",
    "Your interview will be attached to an ID number not your name.",
    "Everything you tell us will be confidential, however if you tell us something that "
    "suggests that you or someone else are at serious risk, we will have to tell someone.",
    "In this case we will inform you and pass the information on to someone who can help.",
    "All written/recorded information will be destroyed three years after the project ends",
    "All information will be kept locked and secure.",
    "Do you have any questions?",
    "Please complete the consent form.",
    # Context
    "To explore care coordination and recovery we plan to use a narrative pathway approach "
    "and will present contradictions inspired by the data from the service user and carer "
    "interviews.",
    "Can I begin with some background on you in terms of your professional profile and experience?",
    "When you were first approached why did you feel that it was important to take part in "
    "this research?",
    "Topics designed by service users and carers within the research team, based on initial "
    "findings from Delphi and semi structured interviews.",
    "What are their views on service user and carer led research?",
    "Exploration of the relationship between stages of recovery and care coordination",
    # Early stages – setting up
    "From the professional perspective do you think recovery is the goal of care co-ordination?",
    "If it isn't the goal then why not and what is?",
    "What are the effects and importance of giving and receiving a diagnosis?",
    "We can't allow diagnosis to be seen as unimportant. It defines so much for service users. "
    "It informs what service and treatment you receive, clustering, stigma. As a profession "
    "must stand behind diagnosis.",
    "How flexible can or should CC be in supporting recovery?",
    "If not why?",
    "To what extent do professionals perceive service users as experts in their own care?",
    "How does this work in reality?",
    "Is recovery focussed care coordination the right way forward or is there a different way "
    "that needs to be explored?",
    # Middle stages – consolidation
    "Do you think that professionals recognise the paternalistic nature of services and that "
    "paternalism isn't working?",
    "What are potential benefits of moving into a culture of recovery empowering service users, "
    "what are risks?",
    "How do we transition to this in a risk averse system?",
    "Recovery is not viewed as a medical process and can occur independently of treatment.",
    "Given this how can care and treatment fit with goal of recovery?",
    "Do you believe that recovery focussed care is possible?",
    "What do professionals need in order to enable recovery focussed care to be possible given "
    "that the majority of training is medical model focussed?",
    # As time goes on – embedding recovery in daily life
    "Personalisation affects the recovery and/or cc process.",
    "'Balance' between process led care and individualised care.",
    "If people had personal budgets – what impact do you think this would have on the shape of "
    "service provision?",
    "Do service users have ability to make these choices unsupported?",
    "Can a system which is designed to suit service delivery support individual decision making "
    "without destabilising delivery?",
    "What is your understanding of recovery and how does that fit with your colleagues?",
    "Training vs practice",
    "Do care coordinators/lead professionals think that recovery happens independently from "
    "care coordination, how does care coordination block or enable recovery?",
    "Who is in charge and setting agenda?",
    "Are service users given sufficient hope and belief to aspire for recovery, where they do "
    "not what is the approach?",
    "Is recovery possible for everybody and who determines it?",
    "How do professionals need to adapt themselves rather than just see the barriers in the "
    "system in order to ensure that care coordination is more recovery focussed",
    "Is care coordination about supporting crisis or enabling recovery?",
    "How can we work together more effectively to see beyond the boundaries of the care "
    "coordination role to engage with wider organisations e.g. housing, employment, benefit "
    "system?",
    "The context of our lives and their normality?",
    # Roles of others – carers
    "What do staff see as their role in supporting the carer (and families, significant "
    "relationships) as a part of the service user's care coordination?",
    "What are the challenges and contradictions within this?",
    "Are there any times when carers' involvement is inappropriate?",
    "What are the dynamics at play in terms of role i.e. staff member as rescuer (oppressor?) "
    "and all powerful, carer as nurturer (enabler?) and service user as victim (self inflicted?)",
    "Unravelling the issues.",
    "Just putting counter perspectives not personal opinion",
    "If carers aren't aware of care coordination, then are care coordinators supporting their role?",
    # Some examples
    "Describe a time when care coordination works really well.",
    "What was happening, what was it about the service user/carer and the system that made "
    "this an effective process?",
    "What impact did this experience have on the service user?",
    "How did it impact on recovery?",
    "What key aspects of this experience do you think should be incorporated into the care "
    "coordination process in the future?",
    "Describe a time when care coordination worked poorly.",
    "What was happening, what was it about the service user/carer and the system that made "
    "this a poor experience?",
    "What impact did this experience have on the service user?",
    "What was impact on recovery?",
    "What key aspects of this experience do you think should be incorporated into the care "
    "coordination process in the future?",
    "What do services need for the future of recovery led services?",
    "What are your wishes for the design future of care coordination?",
    "Should we be assuming this is the future aim or wish?",
    # Final stages – limits, exit or something else?
    "To what extent do they (staff) actually have feedback further down the road that allows "
    "them to know whether their services lead to recovery?",
    "Why do services not support people throughout recovery to enable this?",
    "A seamless service should not pass off a service user continually through the recovery "
    "process",
    "Allowing people to take risks in a risk adverse culture – because we see people as a risk "
    "or the diagnosis as a risk – what are the issues and the complexities that are faced by "
    "staff and how are these addressed?",
    "What needs to happen to increase people's self-awareness in order to change people's view "
    "of themselves and their own role and also the roles of others?",
    "How are the myths and perspectives challenged?",
    "Does care coordination create situations that are safe but not sustainable in the long term?",
    "Difference between discharge and recovery",
    "On-going support throughout recovery as service user is exposed to new stressful and risky "
    "situations of normal life how do services support this?",
    "Patient/service user responsibility and recovery?",
    # Closing
    "Anything else you wish to say?",
    "Thank you for your time",
    "Conference in Spring of 2014",
]


def test_professional_guide_holds_every_seed_phrase_in_order() -> None:
    text = guide_text(load("professional"))
    position = 0
    for phrase in SEED_PHRASES:
        found = text.find(norm(phrase), position)
        assert found >= 0, f"missing or out of order: {phrase!r}"
        position = found + len(norm(phrase))


def spoken(guide: Guide) -> str:
    """Everything the participant hears during the questions."""
    return norm(" ".join(
        " ".join([s.intro, q.lead_in, q.ask, *q.probes, *q.prompts, q.present]) for s, q in guide.questions()
    ))  # fmt: skip


def test_professional_asides_are_interviewer_context_not_spoken() -> None:
    guide = load("professional")
    for aside in ("(They may not agree.)", "Unravelling the issues"):
        assert aside not in spoken(guide)
    assert guide.question("middle-paternalism").context == "(They may not agree.)"
    # The disclaimer is heard before the provocation, not after it.
    dynamics = guide.question("carers-dynamics")
    assert "counter perspectives" in dynamics.lead_in and "not personal opinion" in dynamics.lead_in
    assert "counter perspectives" in dynamics.context  # the seed's words, in the seed's place
    # The heading over every stage opens the first of them, said once.
    assert guide.stages[1].intro.startswith("Exploration of the relationship between stages of recovery")


def test_professional_counter_views_are_presented_to_the_participant() -> None:
    guide = load("professional")
    for question_id, words in [("early-diagnosis", "We can't allow diagnosis"), ("final-feedback", "A seamless service")]:
        question = guide.question(question_id)
        assert words in norm(question.present) and words not in norm(question.context)
        assert norm(question.present).startswith("Just putting a counter perspective, not personal opinion")


def test_professional_questions_are_asked_as_questions() -> None:
    guide = load("professional")
    views = guide.question("views-on-user-carer-led-research")
    assert views.ask == "What are your views on service user and carer led research?"
    assert "What are their views" in views.context
    discharge = guide.question("final-discharge-recovery")
    assert discharge.lead_in == "Difference between discharge and recovery."
    assert discharge.ask.startswith("On-going support throughout recovery") and discharge.ask.endswith("?")
    assert guide.question("examples-future-aim").lead_in  # "this" is given its referent


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_question_is_a_question_or_a_request(name: str) -> None:
    for _, q in load(name).questions():
        assert q.ask.endswith(("?", "?)")) or q.ask.startswith("Describe a time"), q.id


def test_professional_question_ids_are_the_stable_ones_sessions_use() -> None:
    guide = load("professional")
    for question_id in ("background", "early-recovery-goal", "early-diagnosis",
                        "middle-paternalism", "daily-personal-budgets", "carers-dynamics",
                        "example-worked-well", "example-worked-poorly",
                        "final-discharge-recovery", "final-responsibility"):  # fmt: skip
        assert guide.question(question_id) is not None, question_id
    assert not any(q.optional for _, q in guide.questions())  # the seed's guide is asked whole
