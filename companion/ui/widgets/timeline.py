"""The session view's timeline: thousands of rows, of which only the lines on screen are drawn.

A DataTable renders every cell through Rich and re-renders what is visible each time rows are
added, so a 3-hour session's 5 000 rows kept the screen busy for seconds. Here the rows are
plain strings held in a list: the whole session is there at once, a line is drawn only when
it is seen (a few dozen Segments), and moving the cursor redraws two lines.

It answers the parts of DataTable's interface the session view and its tests use
(``row_count``, ``cursor_row``, ``move_cursor``, ``get_row_at``, ``clear``) and looks the same:
a bold header, a row cursor, columns padded by one cell either side.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAD = 1  # cells of padding either side of a column, as in a DataTable


class Timeline(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of text cells under a fixed header, with a row cursor; a click on the cursor's row
    selects it. Enter is the screen's to bind: its binding acts straight away, where a
    selection message would wait its turn behind the screen's first layouts and redraws.
    So are ← and → (a scroll view's would scroll sideways): the session view skips with them;
    shift+← and shift+→ scroll sideways to the end of a long note."""

    DEFAULT_CSS = """
    Timeline {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .timeline--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .timeline--header {
                background-tint: $foreground 5%;
            }
        }
        & > .timeline--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .timeline--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .timeline--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"timeline--header", "timeline--cursor"}
    BINDINGS = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First row", show=False),
        Binding("end,ctrl+end", "last", "Last row", show=False),
        Binding("shift+left", "scroll_left", "Scroll left", show=False),  # a long note's end
        Binding("shift+right", "scroll_right", "Scroll right", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowSelected(Message):
        """A click on the row the cursor is already on."""

        def __init__(self, timeline: Timeline, row: int) -> None:
            super().__init__()
            self.timeline = timeline
            self.row = row

        @property
        def control(self) -> Timeline:
            return self.timeline

    def __init__(self, columns: Sequence[tuple[str, int]], *, id: str | None = None) -> None:
        """``columns``: (label, width) of each column; cells wider than their column are cut."""
        super().__init__(id=id)
        self.columns = list(columns)
        self.rows: Sequence[Sequence[str]] = []
        self._lines: dict[tuple, Strip] = {}  # drawn rows, by (row, style, width)
        self.virtual_size = self._size_for(0)

    # --- the DataTable-like interface -----------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, row: int) -> Sequence[str]:
        return self.rows[row]

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Show these rows (all of them, at once: nothing is drawn until it is seen)."""
        self.rows = rows
        self._lines.clear()
        self.virtual_size = self._size_for(len(rows))
        self.cursor_row = self._clamp(self.cursor_row)
        self.refresh()

    def clear(self) -> None:
        self.set_rows([])

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        self.cursor_row = self._clamp(row)
        if scroll:
            self.scroll_to_cursor()

    # --- drawing ------------------------------------------------------------------------

    def _size_for(self, rows: int) -> Size:
        return Size(sum(width + 2 * PAD for _, width in self.columns), rows + 1)  # + the header

    def _clamp(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # focus, theme: the cursor and header colours change

    def cells_line(self, cells: Sequence[str], style: Style) -> list[Segment]:
        segments = []
        for (_, width), cell in zip(self.columns, cells):
            text = cell.replace("\n", " ")[:width].ljust(width)
            segments.append(Segment(" " * PAD + text + " " * PAD, style))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:  # the header stays put as the rows scroll
            style = base + self.get_component_rich_style("timeline--header")
            key = ("header", style, width)
            cells = [label for label, _ in self.columns]
        else:
            row = scroll_y + y - 1
            if row >= len(self.rows):
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("timeline--cursor") if row == self.cursor_row else base
            style += Style.from_meta({"row": row})
            key = (row, style, width)
            cells = self.rows[row]
        strip = self._lines.get(key)
        if strip is None:
            virtual_width = self.virtual_size.width
            strip = Strip(self.cells_line(cells, style), virtual_width).extend_cell_length(max(width, virtual_width), base)
            if len(self._lines) > 4096:
                self._lines.clear()
            self._lines[key] = strip
        return strip.crop(scroll_x, scroll_x + width)

    # --- moving and selecting ---------------------------------------------------------------

    def scroll_to_cursor(self) -> None:
        """Keep the cursor's row in view below the header."""
        # Its line in the virtual space is one below its index; the header covers the top line.
        self.scroll_to_region(Region(0, self.cursor_row + 1, 1, 1), spacing=Spacing(top=1),
                              animate=False, immediate=True, x_axis=False)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def action_select_cursor(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row") if event.style else None
        if row is None:
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row)
