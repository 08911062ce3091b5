"""Placeholder: filled in by the issue that owns these commands."""


def register(subparsers) -> None:
    pass
