"""A one-line button for a screen's action that has a key of its own: pressed by a click.

The consent checklist's two ways to start (s, w) were Textual Buttons, as were the New
interview form's and the end screen's. Button brings the
largest stylesheet Textual ships (7 kB: 44 % of all the CSS parsed as the checklist opens,
styled again with each state it takes) and a three-row border that takes two lines from
the list at 80×24. The keys are the way in from a keyboard (and are named on the button);
this is the same action for a mouse, drawn as one line, dimmed while it cannot be taken.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Static


class KeyButton(Static):
    DEFAULT_CSS = """
    KeyButton {
        width: auto;
        height: 1;
        padding: 0 2;
        margin-right: 2;
        background: $panel;
        text-style: bold;
        &.-go {
            background: $success;
            color: $text;
        }
        &.-stop {
            background: $error;
            color: $text;
        }
        &:hover {
            background: $panel-lighten-2;
        }
        &:disabled {
            background: $panel;
            color: $text-disabled;
            text-style: none;
        }
    }
    """

    class Pressed(Message):
        """The button was clicked while it could be taken."""

        def __init__(self, button: KeyButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> KeyButton:  # what `@on(KeyButton.Pressed, "#id")` matches
            return self.button

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if not self.disabled:
            self.post_message(self.Pressed(self))
