"""A SelectionList whose box shows ✓ when ticked and stays empty when not, so the state
reads by shape — with NO_COLOR, in a light theme, to anyone — not by colour alone.

The cursor stops at either end instead of wrapping round: read, tick, Down is the rhythm of
a checklist, and one Down too many from the last item must not land on the first, where the
next Space would untick what was said first. And the highlighted item stays in view when
the list is made smaller: at 80×24 the consent list gives up lines to the pane that reads the
highlighted item aloud, more of them for a longer item.

It also survives being refilled under a burst of keys (the tag picker's filter): a highlight
message still queued when the options are cleared names an index that is gone."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class Checklist(SelectionList):
    def on_resize(self) -> None:
        if self.highlighted is not None:
            self.scroll_to_highlight()

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()

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
