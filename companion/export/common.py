"""Names and labels the exporters share."""

from __future__ import annotations

from companion.review.fold import SessionView


def code_label(view: SessionView, code_id: str) -> str:
    code = view.guide.code(code_id)
    return code.label if code else code_id


def code_labels(view: SessionView, codes: tuple[str, ...]) -> list[str]:
    return [code_label(view, c) for c in codes]


def stage_title(view: SessionView, stage_id: str | None) -> str:
    stage = next((s for s in view.guide.stages if s.id == stage_id), None)
    return stage.title if stage else (stage_id or "")


def question_ask(view: SessionView, question_id: str | None) -> str:
    question = view.guide.question(question_id) if question_id else None
    return question.ask if question else (question_id or "")


def is_optional(view: SessionView, question_id: str | None) -> bool:
    cov = view.coverage.get(question_id) if question_id else None
    return bool(cov and cov.optional)


def question_label(view: SessionView, question_id: str | None) -> str:
    """The question as asked, marked when the guide has it optional (asked when time allows)."""
    ask = question_ask(view, question_id)
    return f"(optional) {ask}" if is_optional(view, question_id) else ask


def base_name(view: SessionView) -> str:
    """``<participant>-<session>``: the stem of every export file of a session."""
    parts = [p for p in (view.participant, view.session) if p]
    return "-".join(parts) or "session"


def flag_label(kind: str) -> str:
    return {"quote": "quote", "safeguarding": "SAFEGUARDING", "follow-up": "follow-up"}.get(kind, kind)


def flag_words(flag, with_text: bool = True) -> str:
    """A flag as every format names it: its kind, and the text typed with it (one line)."""
    from companion.export.text import one_line

    text = one_line(flag.text) if with_text else ""
    return f"{flag_label(flag.kind)}: {text}" if text else flag_label(flag.kind)


def safeguarding_warning(view: SessionView) -> str | None:
    """One sentence for stderr when an export will carry safeguarding material."""
    count = len(view.safeguarding_flags())
    if not count:
        return None
    plural = "flag" if count == 1 else "flags"
    return (
        f"warning: {view.participant or 'this session'} has {count} safeguarding {plural}; "
        "the export contains it — store and share it under the study's safeguarding protocol."
    )
