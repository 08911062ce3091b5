"""Writing exports of a stored session: where, with which names, readable by whom."""

from __future__ import annotations

import stat

import pytest

from companion.errors import UsageError
from companion.export.writer import ALL_FORMATS, FORMATS, expand, write_exports
from companion.store import Store


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_all_formats_go_into_the_sessions_exports_folder_owner_only(stored):
    root, ref = stored
    record = Store(root).open(ref)
    warnings: list[str] = []
    paths = write_exports(record, "all", warn=warnings.append)
    folder = record.path / "exports"
    stem = ref.replace("/", "-")
    assert [p.name for p in paths] == [stem + FORMATS[f].suffix for f in ALL_FORMATS]
    assert all(p.parent == folder for p in paths)
    assert mode(folder) == 0o700 and all(mode(p) == 0o600 for p in paths)
    assert len(warnings) == 1 and "safeguarding" in warnings[0]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_o_is_a_file_for_one_format_and_a_folder_for_all(stored, tmp_path):
    root, ref = stored
    record = Store(root).open(ref)
    [path] = write_exports(record, ["vtt"], tmp_path / "out.vtt", warn=None)
    assert path == tmp_path / "out.vtt" and path.read_text().startswith("WEBVTT")
    paths = write_exports(record, "all", tmp_path / "bundle", warn=None)
    assert {p.parent for p in paths} == {tmp_path / "bundle"} and len(paths) == len(ALL_FORMATS)
    assert not (record.path / "exports").exists()  # nothing written where -o did not say


def test_exports_join_the_segments_and_link_the_one_file(stored, tmp_path, readers):
    root, ref = stored
    record = Store(root).open(ref)
    assert sorted(p.name for p in record.path.glob("audio*.wav")) == ["audio-01.wav", "audio-02.wav"]
    [inside] = write_exports(record, "eaf", warn=None)
    assert sorted(p.name for p in record.path.glob("audio*.wav")) == ["audio.wav"]
    text = inside.read_text()
    assert text.count("<MEDIA_DESCRIPTOR") == 1 and 'RELATIVE_MEDIA_URL="../audio.wav"' in text
    readers.validate_eaf(text)
    [outside] = write_exports(record, "eaf", tmp_path / "x.eaf", warn=None)
    assert f'MEDIA_URL="{(record.path / "audio.wav").as_uri()}"' in outside.read_text()


def test_bad_requests_are_one_sentence(stored, tmp_path):
    root, ref = stored
    record = Store(root).open(ref)
    with pytest.raises(UsageError, match="did you mean vtt"):
        expand("vvt")
    with pytest.raises(UsageError, match="no folder"):
        write_exports(record, "md", tmp_path / "missing" / "x.md", warn=None)
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="is a file"):
        write_exports(record, "all", tmp_path / "file", warn=None)
