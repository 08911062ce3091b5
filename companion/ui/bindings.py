"""Textual Bindings made from the core's action table (companion/actions.py), so the keys,
the footer, the command palette, F1 help and `companion keys` all say the same thing."""

from __future__ import annotations

from textual.binding import Binding

from companion.actions import BY_ID, Action, display_key, effective_keys


def binding(action: Action, **options) -> Binding:
    return Binding(
        ",".join(action.keys),
        action.action,
        action.short,
        id=action.id,
        show=action.show,
        key_display=display_key(action.keys[0]) if action.keys else None,
        tooltip=action.description,
        **options,
    )


def bindings(*actions: Action) -> list[Binding]:
    """Bindings for the actions that have default keys."""
    return [binding(a) for a in actions if a.keys]


def keys_of(app, action_id: str) -> str:
    """The action's keys as a button writes them, the user's keymap applied: 'ctrl+f', 'F11'."""
    keys = effective_keys(getattr(app.settings, "keymap", {}))[action_id]
    return " / ".join(display_key(k) for k in keys)


def by_id(*ids: str) -> list[Binding]:
    return bindings(*(BY_ID[i] for i in ids))


def keymapped_extras(node, actions, keymap: dict[str, str]) -> None:
    """An action with no default key cannot be rebound through Textual's keymap (it has no
    binding to rebind): give it the keys the user's keymap names, on this node."""
    for action in actions:
        if not action.keys and action.id in keymap:
            for key in keymap[action.id].split(","):
                node._bindings.key_to_bindings.setdefault(key, []).append(
                    Binding(key, action.action, action.description, id=action.id, show=False)
                )
