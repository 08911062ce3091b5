"""An Input whose Enter submits exactly the text typed before it.

Textual's Input types a printable key as soon as it gets it, but its Enter is a binding,
and bindings run only once the key has bubbled up to the app — after the characters that
arrived in the same read are already typed. So Enter submitted "note one" plus the start
of "note two", and the screen then cleared the field: text merged, then lost. Here Enter
is handled by the input itself, at its place in the key order. (The app also delivers
keys one at a time — companion/ui/key_gate.py — which keeps every other widget in order.)
"""

from __future__ import annotations

import inspect
import unicodedata
from typing import Awaitable, Callable

from textual import events
from textual.widgets import Input


class BurstInput(Input):
    def __init__(self, *args, on_enter: Callable[[str], None | Awaitable[None]] | None = None, **kwargs):
        """``on_enter(text)`` runs at the Enter, in key order, instead of posting Submitted."""
        super().__init__(*args, **kwargs)
        self.on_enter = on_enter

    async def _on_key(self, event: events.Key) -> None:
        # ctrl+j is Enter typed while the app was away (an editor open): the terminal, back in
        # its own line mode then, turned it into a line feed, and "one↵two↵" became one note.
        if event.key in ("enter", "ctrl+j"):
            event.stop()
            event.prevent_default()  # Input._on_key and the Enter binding must not run too
            await self.enter()
        elif event.character and len(event.character) == 1 and unicodedata.category(event.character) == "Cf":
            # Invisible but meaningful: ZWNJ in Persian, the joiner inside 👨‍👩‍👧, an RTL mark.
            # Input types only printable characters, and these are not.
            event.stop()
            event.prevent_default()
            self.insert_text_at_cursor(event.character)
        # Otherwise Input._on_key types it, as usual.

    async def enter(self) -> None:
        value = self.value
        if self.on_enter is not None:
            result = self.on_enter(value)
            if inspect.isawaitable(result):
                await result
            return
        validation = self.validate(value) if "submitted" in self.validate_on else None
        self.post_message(self.Submitted(self, value, validation))
