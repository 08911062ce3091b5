"""Topic guides: the model (``model``) and the YAML loader with validation (``loader``)."""

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
