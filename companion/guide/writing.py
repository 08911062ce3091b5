"""A guide back as plain data: the self-contained copy (codebook inline) a session keeps.

``yaml.safe_dump(guide_data(g), sort_keys=False)`` loads back to an equal guide; keys
come in the order guides/README.md documents them, and empty optional fields are left out.
"""

from __future__ import annotations

from typing import Any

import yaml

from companion.guide.model import Code, ConsentItem, Guide, Question, Stage, Study


def guide_data(guide: Guide) -> dict[str, Any]:
    """Plain data for ``guide``, codebook inline."""
    data: dict[str, Any] = {
        "id": guide.id,
        "title": guide.title,
        "audience": guide.audience,
        "study": _study_data(guide.study),
        "participant_id": {
            "prefix": guide.participant_id.prefix,
            "pattern": guide.participant_id.pattern,
            "example": guide.participant_id.example,
        },
        "preamble": [_consent_data(item) for item in guide.preamble],
    }
    if guide.codebook:
        data["codebook"] = [_code_data(code) for code in guide.codebook]
    data["stages"] = [_stage_data(stage) for stage in guide.stages]
    if guide.closing:
        data["closing"] = [_with_text(item.id, "text", item.text, note=item.note) for item in guide.closing]
    return data


def dump_guide(guide: Guide) -> str:
    """The guide as self-contained YAML (codebook inline), in the documented key order."""
    return yaml.safe_dump(guide_data(guide), sort_keys=False, allow_unicode=True, width=88)


def _with_text(ident: str, key: str, text: str, **optional: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": ident, key: text}
    data.update({name: value for name, value in optional.items() if value})
    return data


def _study_data(study: Study) -> dict[str, Any]:
    data: dict[str, Any] = {"name": study.name}
    if study.institution:
        data["institution"] = study.institution
    if study.project_end is not None:
        data["project_end"] = study.project_end
    data["retention_years"] = study.retention_years
    return data


def _consent_data(item: ConsentItem) -> dict[str, Any]:
    return _with_text(item.id, "text", item.text, required=item.required, recording_permission=item.recording_permission)


def _stage_data(stage: Stage) -> dict[str, Any]:
    data: dict[str, Any] = {"id": stage.id, "title": stage.title}
    data.update({key: getattr(stage, key) for key in ("intro", "note", "distress") if getattr(stage, key)})
    data["questions"] = [_question_data(q) for q in stage.questions]
    return data


def _question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id}
    if question.lead_in:
        data["lead_in"] = question.lead_in
    data["ask"] = question.ask
    if question.present:
        data["present"] = question.present
    for key in ("probes", "prompts"):
        if getattr(question, key):
            data[key] = list(getattr(question, key))
    for key in ("context", "distress", "optional"):
        if getattr(question, key):
            data[key] = getattr(question, key)
    return data


def _code_data(code: Code) -> dict[str, Any]:
    data = _with_text(code.id, "label", code.label, description=code.description)
    if code.parent is not None:
        data["parent"] = code.parent
    return data
