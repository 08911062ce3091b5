"""Every interview action in one table: its binding id, what it does, its default keys and
the command typed for it in the note field.

The UI builds its key bindings and its command list from this table, `companion keys`
prints it, and the user's keymap (``config.yaml``) is checked against it — all without
importing textual.

Why typed commands: on a laptop the keys an app can rely on are few. macOS Terminal.app
keeps PgUp/PgDn, F1–F12 are media keys without fn, ctrl+arrows belong to Mission
Control, Option sends no Meta; many Windows laptops hide F-keys behind fn; and the ctrl
letters left over are taken by the note field or the terminal (ctrl+a/e/k/u/w, ctrl+c/v/z/s).
Letters and Enter reach every terminal, and the note field already has focus, so a note
that starts with ``/`` is a command, as in chat tools. The F-keys stay for those who have them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    id: str  # the binding id a keymap rebinds
    action: str  # the Textual action the key or command runs
    description: str
    keys: tuple[str, ...] = ()  # default keys, in Textual's names
    command: str | None = None  # typed in the note field, e.g. "/n"
    show: bool = True  # in the footer
    takes_text: bool = False  # the command takes words after it, e.g. "/j diagnosis"
    label: str = ""  # the footer's short word, when the description is long

    @property
    def short(self) -> str:
        return self.label or self.description


INTERVIEW_ACTIONS: tuple[Action, ...] = (
    Action("q.next", "step(1)", "Next question", ("pagedown",), "/n"),
    Action("q.prev", "step(-1)", "Previous question", ("pageup",), "/p", label="Previous"),
    Action("stage.next", "stage(1)", "Next stage", ("ctrl+pagedown", "ctrl+down"), "/ns", show=False),
    Action("stage.prev", "stage(-1)", "Previous stage", ("ctrl+pageup", "ctrl+up"), "/ps", show=False),
    Action("q.covered", "mark('covered')", "Mark the question covered", ("f2",), "/c", label="Covered"),
    Action("q.skipped", "mark('skipped')", "Skip the question", ("f3",), "/s", label="Skip"),
    Action("q.probe", "probe", "Tick a probe (/pr 2 ticks the second)", ("f4",), "/pr", takes_text=True, label="Probe"),
    Action("q.prompt", "prompt", "Tick a prompt (the sub-questions of 'Describe a time when…'; /pt 2 ticks the second)",
           ("ctrl+t",), "/pt", show=False, takes_text=True, label="Tick a prompt"),
    # Arrows reach every laptop: these need no typed command.
    Action("q.scroll-down", "scroll_question(2)", "More of the question", ("down",), show=False),
    Action("q.scroll-up", "scroll_question(-2)", "Back up the question", ("up",), show=False),
    Action("note.tag", "tag", "Tag the last note with codes", ("f5",), "/t", label="Tag"),
    Action("note.flag", "flag", "Flag the last note or this moment", ("f6",), "/f", label="Flag"),
    Action("flag.quote", "flag_now('quote')", "Flag the last note as a quote (/q words: with those words)", (), "/q",
           show=False, takes_text=True),
    Action("flag.safeguarding", "flag_now('safeguarding')", "Flag a safeguarding concern (/sg words: its short note)", (),
           "/sg", show=False, takes_text=True),
    Action("flag.follow-up", "flag_now('follow-up')", "Flag the last note to follow up (/fu words: with those words)", (),
           "/fu", show=False, takes_text=True),
    Action("rec.break", "toggle_break", "Break / resume (nothing is recorded on a break)", ("f7",), "/b", label="Break"),
    Action("q.jump", "jump", "Jump to a question (/j words jumps straight there)", ("f8",), "/j", takes_text=True, label="Jump"),
    Action("session.end", "end", "End: closing items, summary, then stop", ("f9",), "/e", label="End"),
    Action("guide.edit", "edit_guide", "Edit the guide and reload it", ("ctrl+g",), "/g", show=False),
    Action("note.retry", "retry", "Retry notes that could not be saved", ("ctrl+r",), "/r", show=False),
    Action("audio.retry", "retry_audio", "Retry the audio now (it also retries by itself)", ("ctrl+o",), "/a",
           show=False, label="Retry audio now"),
    Action("session.leave", "leave", "Leave; the session is kept and can be resumed", ("ctrl+q",), "/x", show=False,
           label="Leave (resumable)"),
    Action("help", "app.help", "Help: every key and command", ("f1",), "/h", label="Help"),
)

# Keys on other screens that a keymap may rebind too; none needs a typed command.
OTHER_ACTIONS: tuple[Action, ...] = (
    Action("consent.start", "start(True)", "Consent: start recording", ("s",), label="Start recording"),
    Action("consent.norecord", "start(False)", "Consent: start without recording", ("w",), label="Start without recording"),
    Action("consent.leave", "leave", "Consent: leave — keep to resume, or discard (a wrong ID)", ("escape",), label="Leave"),
    # Never End's key: End pressed twice would finish on a screen not yet seen.
    Action("end.finish", "finish", "End: stop the recording (if any) and finish", ("ctrl+f",), label="Finish"),
    Action("end.back", "app.pop_screen", "End: back to the interview", ("escape",), label="Back to the interview"),
)

ALL_ACTIONS = INTERVIEW_ACTIONS + OTHER_ACTIONS
BY_ID = {a.id: a for a in ALL_ACTIONS}


def match_commands(typed: str) -> list[Action]:
    """The commands a note-field text starting with '/' may mean, best first: an exact command,
    then commands it begins, then actions whose description has every typed word."""
    word, _, _rest = typed[1:].partition(" ")
    word = word.lower()
    with_command = [a for a in INTERVIEW_ACTIONS if a.command]  # arrows need none
    exact = [a for a in with_command if a.command == "/" + word]
    prefix = [a for a in with_command if a.command.startswith("/" + word) and a not in exact]
    described = [
        a for a in with_command
        if len(word) > 1 and a not in exact and a not in prefix
        and any(w.startswith(word) for w in a.description.lower().replace("/", " ").split())
    ]
    return exact + prefix + described


# --- key names --------------------------------------------------------------------------

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    ["escape", "enter", "tab", "space", "backspace", "left", "right", "up", "down", "home", "end",
     "insert", "delete", "pageup", "pagedown"] + [f"f{n}" for n in range(1, 25)]
)


def key_problem(key: str) -> str | None:
    """Why one key (e.g. 'ctrl+n', 'f2', 'question_mark') is not a key Textual knows, or None."""
    *mods, base = key.strip().split("+") if key.strip() != "+" else ["+"]
    for mod in mods:
        if mod not in MODIFIERS:
            return f"'{mod}' is not a modifier (use {', '.join(MODIFIERS[:3])})"
    if len(base) == 1 and base.isprintable():
        return None
    if base in NAMED_KEYS or character_name(base):
        return None
    return f"'{base}' is not a key name"


def character_name(name: str) -> bool:
    """Textual names punctuation by its Unicode name: 'question_mark', 'full_stop'."""
    try:
        return len(unicodedata.lookup(name.replace("_", " "))) == 1
    except KeyError:
        return False


def key_names() -> list[str]:
    """Names a suggestion can offer for a misspelt key."""
    return sorted(NAMED_KEYS) + [f"{m}+" for m in MODIFIERS]


def effective_keys(keymap: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Each action's keys once the user's keymap is applied (a keymap entry replaces the defaults)."""
    return {
        a.id: tuple(k.strip() for k in keymap[a.id].split(",")) if a.id in keymap else a.keys
        for a in ALL_ACTIONS
    }


def display_key(key: str) -> str:
    """A key as a person reads it: 'F2', 'ctrl+PgDn'."""
    parts = key.split("+")
    names = {"pagedown": "PgDn", "pageup": "PgUp", "escape": "Esc", "enter": "Enter", "up": "↑", "down": "↓",
             "space": "Space", "tab": "Tab"}
    base = parts[-1]
    if base in names:
        base = names[base]
    elif base.startswith("f") and base[1:].isdigit():
        base = base.upper()
    elif len(base) > 1 and character_name(base):  # question_mark: ?
        base = unicodedata.lookup(base.replace("_", " "))
    return "+".join(parts[:-1] + [base])
