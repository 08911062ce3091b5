"""Textual's header with its title in place from the start.

Textual's Header composes an empty title and fills it in from four watchers that run a
moment after the screen's first layout, each asking for the screen to be laid out again
(10–15 ms on the consent checklist, while the first keys wait). Here the title is composed
already filled in, and the watchers' update with the same title changes nothing; a title
that does change is updated and laid out as usual.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class SteadyTitle(HeaderTitle):
    def update(self, content="", *, layout: bool = True) -> None:
        if same_content(content, self.content):
            return
        super().update(content, layout=layout)


class SteadyHeader(Header):
    def compose(self):
        for widget in super().compose():
            yield SteadyTitle(self.format_title()) if type(widget) is HeaderTitle else widget


def same_content(new, old) -> bool:
    """Content compares its text only; the title's styles must match too."""
    if isinstance(new, Content) and isinstance(old, Content):
        return new.plain == old.plain and new.spans == old.spans
    return False
