"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds its row of keys (a dozen widgets, some 30 ms) each time the screen
says its bindings may have changed: three times as a screen opens (pushed, focused, keymap),
with the same keys every time, while the first keys typed wait behind it. Here the requests
are folded into one rebuild that runs only if what would be shown differs from what is.

It also keeps help in sight at 80 columns (macOS Terminal's and many laptops' default): F1
Help comes first, as in htop or nano, so it is the last key a narrow terminal cuts; and the
command palette's key, docked on the right over the keys, gives way where the screen's own
keys need the room. Help lists every key and command, the palette's included.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

HELP = "app.help"


class Footer(TextualFooter):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # the keys as last built
        self._rebuilding = False

    def compose(self):
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey):
                # Made compact (or not) already, the value and its class, as they will draw: a
                # FooterKey starts compact, and as it mounted its watcher added the class and
                # the footer's binding took it away again, each change styling the key once
                # more; measured between, the palette's key (not bound to the footer's setting:
                # it stays compact) was two columns too wide and hid itself.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
        first = [w for w in widgets if isinstance(w, FooterKey) and w.action == HELP]
        yield from first + [w for w in widgets if w not in first]

    def on_mount(self) -> None:
        # Keys composed with the footer are styled by now: fitted before the screen's first
        # layout, the palette's key does not lay the whole screen out again a frame later.
        self.fit_palette()

    def on_resize(self) -> None:
        self.fit_palette()

    def fit_palette(self) -> None:
        """Show the palette's key only where the screen's keys leave it room. Measured as
        Textual lays them out side by side (content, padding and border, margins collapsed):
        the same before the first layout (the footer spans the terminal) and after, for keys
        styled as they are composed (KeyFooter's)."""
        palette = next((k for k in self.query_children(FooterKey) if k.has_class("-command-palette")), None)
        width = self.size.width or self.app.size.width
        if palette is None or not width:
            return
        keys = [w for w in self.children if w.display and w is not palette]
        fits = self.width_of(keys, width) + self.width_of([palette], width) <= width
        if palette.display != fits:
            palette.display = fits

    def width_of(self, widgets: list, width: int) -> int:
        if not widgets:
            return 0
        margins = [w.styles.margin for w in widgets]
        between = sum(max(a.right, b.left) for a, b in zip(margins, margins[1:]))
        return between + margins[0].left + margins[-1].right + sum(
            self.content_width(w, width) + w.styles.gutter.width for w in widgets)

    def content_width(self, widget, width: int) -> int:
        """A key's own text as it would draw now. Textual's measure keeps its first answer
        until the key is laid out, and a hidden palette key is not: measured before its
        compact style came, it stayed two columns too wide and hid itself for good."""
        if isinstance(widget, FooterKey):
            return widget.render().cell_len
        return widget.get_content_width(Size(width, 1), self.app.size)

    def keys_to_show(self) -> tuple:
        """What compose reads: every active binding's key, label, state and tooltip (the
        command palette's key is among them, shown or not)."""
        shown = tuple(
            (key, binding.key, self.app.get_key_display(binding), binding.description, binding.action,
             binding.show, binding.group, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )
        return shown, self.compact, self.show_command_palette

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuilding:
            self._rebuilding = True
            self.queue_rebuild()

    def queue_rebuild(self) -> None:
        self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuilding = False
        if not self.is_attached:
            return
        shown = self.keys_to_show()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
            self.call_after_refresh(self.fit_palette)  # the new keys styled (compact or not)
