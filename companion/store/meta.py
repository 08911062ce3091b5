"""``session.yaml``: who, which guide, when, status, retention, audio and segments.

Always replaced atomically, so a reader finds the old version or the new one.
Times are ISO 8601 strings with their UTC offset; ``retain_until`` an ISO date.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from companion.store.errors import StoreError
from companion.store.safefiles import replace_atomically

META_NAME = "session.yaml"
GUIDE_NAME = "guide.yaml"
STATUSES = ("in-progress", "interrupted", "complete")


def guide_copy_name(number: int) -> str:
    """guide.yaml is the copy made when the session began; live edits are guide-02.yaml onwards."""
    return GUIDE_NAME if number == 1 else f"guide-{number:02d}.yaml"


def guide_data(guide) -> dict:
    from companion.guide.loader import guide_data as data

    return data(guide)


def guide_copy_path(folder: Path, events: list[dict] = ()) -> Path:
    """The guide copy in force at the end of the log: the last live edit's copy, else guide.yaml."""
    copies = [e.get("copy") for e in events if e.get("type") == "guide.reloaded"]
    latest = next((c for c in reversed(copies) if isinstance(c, str) and (folder / c).is_file()
                   and Path(c).name == c), GUIDE_NAME)
    return folder / latest


def load_guide_copy(folder: Path, events: list[dict] = ()):
    """The guide in force at the end of the log (see guide_copy_path)."""
    from companion.guide.loader import load_guide

    return load_guide(guide_copy_path(folder, events))


def now_iso() -> str:
    """This moment, local time with its UTC offset, to the millisecond."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def _yaml():
    """PyYAML, imported when a session.yaml is first read or written: a listing from the
    store's index reads none, and the import is a good part of a command's start-up."""
    import yaml

    return yaml


def read(folder: Path) -> dict:
    yaml = _yaml()
    path = folder / META_NAME
    try:
        # libyaml's C loader reads session.yaml 5-10x faster than the pure-Python one,
        # which stays as the fallback where libyaml is missing (the same for the dumper).
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise StoreError(f"{folder} is not a session: it has no {META_NAME}.") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise StoreError(f"Cannot read {path}: {_reason(error)}.") from None
    if not isinstance(data, dict):
        raise StoreError(f"Cannot read {path}: it does not hold a session's details.")
    data.setdefault("segments", [])
    return data


def write(folder: Path, meta: dict) -> None:
    path = folder / META_NAME
    try:
        replace_atomically(path, dump(meta))
    except OSError as error:
        raise StoreError(f"Could not save {path}: {_reason(error)}; the change is kept and saved with the next one.") from None


def dump(data: dict) -> bytes:
    yaml = _yaml()
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False).encode("utf-8")


def as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error).splitlines()[0]
