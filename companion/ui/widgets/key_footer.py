"""Textual's footer, rebuilt only when what it shows has changed, and as little as it can.

Textual's Footer rebuilds all its keys every time the screen says its bindings may have
changed — on mount, on every focus change, after every action — and each signal queues
another rebuild. On the interview screen that was three rebuilds (each mounting every key
again) before it settled. This one composes its keys with the screen (not in a second pass
after the screen's first layout), rebuilds once per burst of signals and only when what it
shows differs; when keys only went away (the note field, once focused, hides PgUp/PgDn),
it removes just those.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    _rebuild_queued = False
    _shown: tuple | None = None

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self):
        self._shown = self._what_it_shows()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Made compact already: binding `compact` on mount then changes nothing (else each
                # key is styled a second time as it mounts).
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            # Before the screen's first layout (the focus settling as it opens), at once, so
            # that layout has the right keys; after it, once the screen has refreshed.
            (self.call_after_refresh if self.size.area else self.call_later)(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if not self.is_attached:
            return
        before, shown = self._shown, self._what_it_shows()
        if shown == before:
            return
        self._shown = shown
        gone = only_removed(before, shown)
        if gone is None:
            await self.recompose()
        else:
            await self.remove_children([k for k in self.query_children(FooterKey) if (k.key, k.action) in gone])

    def _what_it_shows(self) -> tuple:
        """One entry per key shown, as Footer.compose picks them: the first binding of each action."""
        app, active = self.app, self.screen.active_bindings
        keys: dict[str, tuple] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = (binding.key, binding.action, app.get_key_display(binding),
                                        binding.description, enabled, tooltip, binding.group)
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        palette_state = (palette.binding.key, palette.enabled) if palette else None
        return tuple(keys.values()), self.show_command_palette, app.ENABLE_COMMAND_PALETTE, palette_state


def only_removed(before: tuple | None, after: tuple) -> set[tuple[str, str]] | None:
    """The (key, action) of each key that went away, when that is the only change (and no key
    is in a group, which Footer draws differently); None when the footer must be rebuilt."""
    if before is None or before[1:] != after[1:]:
        return None
    kept = set(after[0])
    if any(entry[-1] is not None for entry in before[0]) or [e for e in before[0] if e in kept] != list(after[0]):
        return None
    return {(entry[0], entry[1]) for entry in before[0] if entry not in kept}
