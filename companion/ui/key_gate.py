"""Keys (and pastes) from the terminal are delivered one at a time, each once the one before has settled.

Textual forwards each key to whatever is focused the moment the key arrives, then lets it
bubble up to the app, where bindings run. Keys that arrive in one read (a fast typist, SSH,
a busy moment) therefore overtake each other: a list's Down binding runs after the Space
that followed it, a picker's Enter closes it after the next keys were sent into it, and a
screen that has just been pushed has no focus yet, so keys sent to it are lost.

So the app holds the keys it receives and delivers the next only when the last one is done
(a character typed into an input is done as soon as it is sent: the input types its keys in
the order it gets them, and a character does nothing else).
Done is found with messages, not guesses: a Probe posted behind the key to the same widget
bubbles up to the app after the key (and its bindings) did; then a Settle posted to what has
focus now bubbles up after the messages the key's action posted there (a Submitted, a
picker's answer). If the screen on top changed meanwhile, Settle goes round once more
through the new one. A timeout keeps keys flowing if a widget was removed with the Probe
in its queue.

A screen change the app waits for can hold the keys (hold/release): the consent checklist,
once w or s is pressed, holds what follows (a note begun at once) for as long as the recording
takes to open, and the interview screen releases it into its note line as it mounts — those
keys went to a checklist that no longer takes them, and were lost. A closing session holds
(and then drops) what is typed behind its ctrl+q y or Finish. And a question just put can set
aside the keys typed ahead of it (set_aside/put_back): they were not typed to answer it.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

from textual import events
from textual.keys import _character_to_key
from textual.message import Message
from textual.widgets import Input

TIMEOUT = 0.25  # seconds; only reached when a widget vanished with our message in its queue
HOLD_CHECK = 1.0  # seconds between asking whether a hold is still wanted


def typed_in_place(event, target) -> bool:
    """A printable key or a paste sent to an input is typed there, in order, and nothing else:
    no binding, no bubbling. Only the keys that may act (Enter, arrows, F-keys…) wait."""
    return isinstance(target, Input) and (isinstance(event, events.Paste) or event.is_printable)


def is_escape_then_key(event: events.Key) -> bool:
    """Esc and the key typed right after it, read together (a quick hand, SSH), reach Textual
    as one alt+key. Nothing here has an alt key (Option types characters on a Mac), so it is
    taken for the two keys it was: Esc closing a dialog, then the first letter of a note —
    not a dialog answered with that letter, the note's first letter lost."""
    return event.key.startswith("alt+") and bool(event.character) and event.character.isprintable()


class Probe(Message):
    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class Settle(Probe):
    pass


class KeyGate:
    def __init__(self, app):
        self.app = app
        self.waiting: deque[events.Key | events.Paste] = deque()
        self.serial = 0  # of the key in flight; 0 when none is
        self.delivered = 0
        self.through = None  # the screen the last message was sent through
        self.timer = None
        self.held = None  # while holding: the timer that asks whether the hold is still wanted
        self.aside: list[events.Key | events.Paste] = []  # typed ahead of a question (set_aside)

    async def take(self, event: events.Key | events.Paste) -> None:
        """Every key and paste from the terminal comes here instead of straight to the focus.
        (A new event: one already dispatched carries its old state.)"""
        if isinstance(event, events.Key) and is_escape_then_key(event):
            self.waiting.append(events.Key("escape", "\x1b"))
            self.waiting.append(events.Key(_character_to_key(event.character), event.character))
        else:
            fresh = events.Key(event.key, event.character) if isinstance(event, events.Key) else events.Paste(event.text)
            self.waiting.append(fresh)
        if not self.serial:
            await self.deliver_next()

    def hold(self, wanted: Callable[[], bool]) -> None:
        """Keep the keys that arrive from now on until release(): a screen is being replaced.
        ``wanted()`` is asked every HOLD_CHECK seconds: a hold whose reason has gone without a
        release ends, and its keys are delivered (never dropped, never stuck)."""
        self._end_hold()
        self.held = self.app.set_interval(HOLD_CHECK, lambda: wanted() or self._expired())

    async def release(self, drop: bool = False) -> None:
        """Deliver the held keys to what has focus now, or ``drop`` them (the screen they were
        typed for never came). Without a hold, nothing happens."""
        if self.held is None:
            return
        self._end_hold()
        if drop:
            self.drop_waiting()
        await self.deliver_next()

    def set_aside(self) -> None:
        """A question has just been put: the keys already typed (ahead, unseeing) must not
        answer it. They wait for put_back(), once it is answered."""
        self.aside.extend(self.waiting)
        self.waiting.clear()

    async def put_back(self) -> None:
        """Deliver the keys set aside, before any typed since, to what has focus now."""
        self.waiting.extendleft(reversed(self.aside))
        self.aside.clear()
        if not self.serial:
            await self.deliver_next()

    def drop_waiting(self) -> None:
        """Forget the keys not yet delivered: typed ahead of something that did not happen."""
        self.waiting.clear()

    def _end_hold(self) -> None:
        if self.held is not None:
            self.held.stop()
            self.held = None

    def _expired(self) -> None:
        # Run by the hold's own timer: stopping it here would cancel this very delivery.
        timer, self.held = self.held, None
        self.app.call_later(timer.stop)
        self.app.call_later(self.deliver_next)

    async def deliver_next(self) -> None:
        while self.waiting and not self.serial and self.held is None:
            key = self.waiting.popleft()
            self.delivered += 1
            self.serial = self.delivered
            target = await self.app.deliver_key(key)
            if typed_in_place(key, target):
                self.serial = 0  # an input types it itself, in its queue's order: no need to wait
                continue
            if target is None:  # a priority binding ran it in the app
                self._send(Settle(self.serial))
            else:
                self._send(Probe(self.serial), target)

    def _send(self, message: Probe, target=None) -> None:
        if not self.app.is_running or not self.app.screen_stack:
            return  # the app is closing: nothing left to deliver to
        target = target or self.app.focused or self.app.screen
        self.through = self.app.screen
        target.post_message(message)
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_timer(TIMEOUT, lambda serial=message.serial: self.arrived(Settle(serial), late=True))

    async def arrived(self, message: Probe, late: bool = False) -> None:
        if message.serial != self.serial or not self.app.screen_stack:
            return  # from a key already settled by the timeout, or the app is closing
        if type(message) is Probe or self.through is not self.app.screen:
            self._send(Settle(self.serial))  # through the screen on top now
            return
        self.serial = 0
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        await self.deliver_next()
