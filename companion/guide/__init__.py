"""Topic guides: the model (``model``), and loading with located checks (``loader``, which
uses ``yaml_marks``, ``fields`` and ``build``; ``writing`` turns a guide back into data)."""

from companion.guide.model import (
    AUDIENCES,
    ClosingItem,
    Code,
    ConsentItem,
    Guide,
    IdRule,
    Question,
    Stage,
    Study,
)

__all__ = [
    "AUDIENCES",
    "ClosingItem",
    "Code",
    "ConsentItem",
    "Guide",
    "IdRule",
    "Question",
    "Stage",
    "Study",
]
