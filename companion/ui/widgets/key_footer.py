"""The footer of the screens that open an interview: composed with the screen, changed in place.

widgets/footer.py already folds the rebuild requests of a screen that opens into one, run
only when the keys differ. The consent and interview screens need two things more. Their
keys are composed with the screen, not in a second pass after its first layout (which laid
the whole interview screen out again); and when keys only went away — the note field, once
focused, hides PgUp/PgDn — just those are removed, before the first layout when the focus
settles as the screen opens, instead of every key being mounted again. They are hidden, not
removed: a removal finishes (and asks for a layout of the whole screen) only after the
screen's first layout, where hiding is a style change laid out with it.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from companion.ui.widgets.footer import Footer


class KeyFooter(Footer):
    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.set_reactive(TextualFooter._bindings_ready, True)

    def compose(self):
        self._shown = self.keys_to_show()
        yield from super().compose()

    def queue_rebuild(self) -> None:
        # Before the screen's first layout, at once, so that layout has the right keys.
        (self.call_after_refresh if self.size.area else self.call_later)(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuilding = False
        if not self.is_attached:
            return
        before, shown = self._shown, self.keys_to_show()
        if shown == before:
            return
        self._shown = shown
        gone = only_removed(displayed(before, self.app), displayed(shown, self.app)) if before else None
        if gone is None:
            await self.recompose()
        elif gone:
            for key in self.query_children(FooterKey):
                if (key.key, key.action) in gone:
                    key.display = False
        self.fit_palette()


def displayed(shown: tuple, app) -> tuple:
    """From Footer.keys_to_show: one entry per key drawn, as Textual's Footer picks them (the
    first shown binding of each action), then the footer's settings and the palette's key."""
    bindings, *settings = shown
    keys: dict[str, tuple] = {}
    palette = None
    for key, binding_key, display, description, action, show, group, enabled, tooltip in bindings:
        if key == app.COMMAND_PALETTE_BINDING:
            palette = (binding_key, enabled)
        if show and action not in keys:
            keys[action] = (binding_key, action, display, description, enabled, tooltip, group)
    return tuple(keys.values()), *settings, palette


def only_removed(before: tuple, after: tuple) -> set[tuple[str, str]] | None:
    """The (key, action) of each key that went away, when that is the only change (and no key
    is in a group, which Footer draws differently); None when the footer must be rebuilt."""
    if before[1:] != after[1:]:
        return None
    kept = set(after[0])
    if any(entry[-1] is not None for entry in before[0]) or [e for e in before[0] if e in kept] != list(after[0]):
        return None
    return {(entry[0], entry[1]) for entry in before[0] if entry not in kept}
