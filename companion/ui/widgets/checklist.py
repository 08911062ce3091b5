"""A SelectionList whose box shows ✓ when ticked and stays empty when not, so the state
reads by shape — with NO_COLOR, in a light theme, to anyone — not by colour alone.

It also survives being refilled under a burst of keys: a highlight message still queued
when the options are cleared names an index that is gone, and SelectionList looks it up."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class Checklist(SelectionList):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        mark = "✓" if selection.value in self._selected else " "
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Textual runs this, then SelectionList's own handler unless the default is prevented.
        if event.option_index >= self.option_count:  # stale: the list was refilled since
            event.stop()
            event.prevent_default()
