"""Textual's footer, rebuilt only when what it shows has changed.

Textual's Footer rebuilds all its keys every time the screen says its bindings may have
changed — on mount, on every focus change, after every action — and each signal queues
another rebuild. On the interview screen that was three rebuilds (each mounting every key
again) before it settled. This one rebuilds once per burst of signals, and only when a key,
its label or whether it is enabled differs from what is on screen; and its first keys come
with the screen's own first layout.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    _rebuild_queued = False
    _shown: tuple | None = None

    def __init__(self, **options) -> None:
        super().__init__(**options)
        # The keys are composed with the screen, not in a second pass after its first layout
        # (which lays the whole screen out again); a later change of keys rebuilds it.
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self):
        self._shown = self._what_it_shows()
        yield from super().compose()

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if not self.is_attached:
            return
        shown = self._what_it_shows()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _what_it_shows(self) -> tuple:
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return keys, self.show_command_palette, app.ENABLE_COMMAND_PALETTE
