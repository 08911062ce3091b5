"""A screen laid out once as it opens, not twice.

After a screen's first layout Textual sends the screen a Resize (its size went from nothing
to the terminal's), and the screen lays itself out again in full at the size it was just laid
out at: 20–35 ms on the interview screen, spent before it settles. A Resize to the size the
screen already has changes nothing and is let go; a real one (the terminal resized) is not.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.screen import Screen


class SteadyScreen(Screen):
    def _screen_resized(self, size: Size) -> None:
        if size == self._compositor.size:
            return  # laid out at this size already; pending changes are laid out as usual
        super()._screen_resized(size)
