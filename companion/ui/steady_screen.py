"""A screen not laid out again for nothing as it opens.

Textual asks for a full layout of a screen that has not changed, at the size it was just
laid out at, three ways as it opens: after its first layout it sends the screen a Resize
(its size went from nothing to the terminal's); the screen's own mount, finishing a moment
after that layout, asks for a layout of the screen; and the consent checklist the interview
screen replaces, once removed, asks the app — and so the screen on top — for one too. Each
that lands apart from the screen's real changes is a full layout and render (15–35 ms on the
interview screen) while the first keys wait behind it.

So a request to lay out the whole screen is let go when the screen was laid out already at
this size with the same widgets and the same classes; it is still repainted. Anything that
changes in it lays it out as usual: a widget mounted or removed anywhere in the screen
(Textual counts those), a widget's size or content (those ask through a Layout message, not
through here), a class on the screen, a widget maximized, the terminal resized. (A style set
on the screen itself in code would not be seen: none of these screens does that.)

Nor is it styled again for nothing: Textual restyles every widget of a screen each time it
is shown, the first time included, though each widget was styled a moment before as it
mounted — after the screen's CSS was loaded, with the stylesheet the restyle would use. On
the consent checklist that second pass was a third of its start-up. Later showings (back
from a dialog, after a theme change) are restyled as usual; focus, hover and disabled
changes restyle their own widgets whenever they happen.

Nor is it laid out a second time, a frame (17 ms) after its first layout, for asks that layout
answered already: a widget asks for a layout through a message the screen reads later, so the
asks of widgets mounted before the layout arrived after it; the screen's own ask, made as it
mounted, outlived the layout its resume made; every widget the layout sized asked again, as
its virtual size went from nothing to what the layout had just given it; and Textual's
notification rack, shown or hidden anew on each resume, asked too. Those are let go (see
_refresh_layout). What a widget asks after a layout, or a scrollbar that layout showed or hid,
lays it out again as usual.
"""

from __future__ import annotations

from textual import events, messages
from textual._time import get_time  # the clock Textual stamps each message with
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets._toast import ToastRack


class SteadyScreen(Screen):
    _laid_out_as: tuple | None = None  # what the last full layout was of (see _as_is)
    _laid_out_at = float("-inf")  # when the last full layout began
    _shown_before = False

    def _extend_compose(self, widgets: list[Widget]) -> None:
        super()._extend_compose(widgets)
        for widget in widgets:
            if isinstance(widget, ToastRack):
                widget.display = False  # as each resume sets it while there is nothing to show

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls each class's handler in turn: Screen's, which does the restyle, next.
        if not self._shown_before:
            event.refresh_styles = False  # every widget was styled as it mounted
        self._shown_before = True

    def _as_is(self) -> tuple:
        return self._nodes._updates, self.outer_size, frozenset(self.classes), self.maximized

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        full = not (scroll and not self._layout_widgets)  # Textual's own test for a reflow
        began, screen_asked = get_time(), self._layout_required
        asked = _asks(self) if full else {}
        super()._refresh_layout(size, scroll)
        if not full:
            return
        if screen_asked:
            self._layout_required = False  # asked before this layout of the whole screen
        _let_go_asks_of_their_size(asked)
        if size in (None, self.outer_size):
            self._laid_out_as = self._as_is()
            self._laid_out_at = began

    def _on_layout(self, message: messages.Layout) -> None:
        # Textual's handler, after this one, lays the screen out again for the widget.
        if message.time < self._laid_out_at:
            message.prevent_default()  # asked before the last full layout began: it was laid out

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if layout and self._laid_out_as is not None and self._laid_out_as == self._as_is():
            layout = False  # laid out already as it is; anything pending is laid out as usual
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _screen_resized(self, size: Size) -> None:
        if size == self._compositor.size:
            return  # laid out at this size already; pending changes are laid out as usual
        super()._screen_resized(size)


Ask = tuple[bool, Size, bool, bool]  # a layout asked for; the virtual size; the scrollbars shown


def _asks(screen: Screen) -> dict[Widget, Ask]:
    """What each widget of the screen (its scrollbars too) has asked, as _let_go_asks_of_their_size reads it."""
    asks = {}
    for widget in screen.walk_children(Widget):
        for part in (widget, *widget._get_virtual_dom()):
            asks[part] = (part._layout_required, part.virtual_size, part.show_vertical_scrollbar,
                          part.show_horizontal_scrollbar)
    return asks


def _let_go_asks_of_their_size(before: dict[Widget, Ask]) -> None:
    """Let go the asks a layout made as it sized widgets (a new virtual size asks for a layout),
    but not where it showed or hid a scrollbar: the widget's content needs laying out again in
    the room left."""
    for widget, (asked, virtual_size, vertical, horizontal) in before.items():
        if (widget._layout_required and not asked and widget.virtual_size != virtual_size
                and (vertical, horizontal) == (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar)):
            widget._layout_required = False


class Backdrop(Screen):
    """The app's first screen, under every other: always blank, never seen.

    Textual repaints the screen on top wherever a screen beneath it repaints, in case it shows
    through. This one repaints a moment after the app starts (it was covered as it mounted),
    which made the consent checklist, opened straight from the command line, draw itself in
    full a second time, a frame (17 ms) later than it was complete. Nothing of a blank screen
    can show through, so its repaints go no further; as the top screen it paints as usual."""

    def _compositor_refresh(self) -> None:
        if self is self.app.screen:
            super()._compositor_refresh()
            return
        self._compositor._dirty_regions.clear()
        self._dirty_widgets.clear()
