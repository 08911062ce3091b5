"""The encryption commands through real processes: each refusal one sentence naming the file
(and the line or the chunk), exit status 2, never a traceback."""

from __future__ import annotations

import wave

from cryptokit import NOTE_MARKER, companion


def test_key_show_and_a_second_key_new_refused(study, tmp_path):
    done = companion("--sessions", study.root, "key", "show")
    assert done.returncode == 0 and "are encrypted to the study key" in done.stdout
    assert study.files.public in done.stdout
    done = companion("--sessions", study.root, "key", "new", tmp_path / "k", "--passphrase-file", study.files.secret, "--yes")
    assert done.returncode == 2 and "already encrypts to key" in done.stderr and not (tmp_path / "k").exists()
    done = companion("--sessions", tmp_path / "plain", "key", "show")
    assert "are not encrypted" in done.stdout


def test_key_new_without_a_terminal_needs_yes(tmp_path, key_files):
    done = companion("--sessions", tmp_path / "s", "key", "new", tmp_path / "k", "--passphrase-file", key_files.secret)
    assert done.returncode == 2 and "--yes" in done.stderr and not (tmp_path / "k").exists()


def test_decrypt_writes_plain_standard_files(study, tmp_path):
    out = tmp_path / "plain"
    done = companion("--sessions", study.root, "decrypt", study.ref, "-o", out, *study.key)
    assert done.returncode == 0, done.stderr
    assert NOTE_MARKER in (out / "events.jsonl").read_text(encoding="utf-8")
    with wave.open(str(out / "audio.wav"), "rb") as w:
        assert (w.getframerate(), w.getnframes()) == (8000, 20000)
        assert w.readframes(4) == b"\x10\x20" * 4
    assert (out / "session.yaml").exists() and (out / "guide.yaml").exists()


def test_each_failure_has_its_own_sentence(study, tmp_path):
    root, ref = study.root, study.ref
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    cases = {
        "no key": ([], f"Session {ref} is encrypted: give the study's private key with --key FILE"),
        "missing key file": (["--key", tmp_path / "nope.key", "--passphrase-file", wrong],
                             f"The key file {tmp_path / 'nope.key'} does not exist."),
        "wrong passphrase": (["--key", study.files.key, "--passphrase-file", wrong],
                             f"The passphrase does not open the key file {study.files.key}"),
        "other study": (["--key", study.files.other, "--passphrase-file", study.files.secret],
                        f"The key file {study.files.other} is not this study's key"),
    }
    for name, (key, sentence) in cases.items():
        done = companion("--sessions", root, "decrypt", ref, "-o", tmp_path / name.replace(" ", "-"), *key)
        assert done.returncode == 2, name
        assert done.stderr.startswith(f"companion: {sentence}") and done.stderr.count("\n") == 1, (name, done.stderr)
        assert not (tmp_path / name.replace(" ", "-")).exists()


def test_a_tampered_line_and_a_tampered_chunk_are_named(study, tmp_path):
    journal = study.folder / "events.jsonl"
    original = journal.read_bytes()
    lines = original.split(b"\n")
    lines[1] = lines[1][:-12] + (b"A" if lines[1][-12:-11] != b"A" else b"B") + lines[1][-11:]
    journal.write_bytes(b"\n".join(lines))
    done = companion("--sessions", study.root, "export", study.ref, "-f", "md", "-o", "-", *study.key)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"companion: {journal} line 2 was changed or damaged: it does not decrypt with the session's key.\n"
    journal.write_bytes(original)
    segment = study.folder / "audio-01.sealed"
    raw = bytearray(segment.read_bytes())
    raw[-100] ^= 0x40
    segment.write_bytes(bytes(raw))
    done = companion("--sessions", study.root, "decrypt", study.ref, "-o", tmp_path / "out", *study.key)
    assert done.returncode == 2
    assert done.stderr == (f"companion: {segment} chunk 2 (at 2.0 s) was changed or damaged: "
                           "it does not decrypt with the session's key.\n")


def test_enrol_takes_another_stores_public_key_file(study, tmp_path):
    laptop = tmp_path / "laptop-2"
    done = companion("--sessions", laptop, "key", "enrol", study.root / "study-public-key.txt")
    assert done.returncode == 0 and "is now encrypted to key" in done.stdout
    assert (laptop / "study-public-key.txt").read_text() == (study.root / "study-public-key.txt").read_text()
    done = companion("--sessions", laptop, "key", "enrol", "age1notakey")
    assert done.returncode == 2 and "is not a study public key" in done.stderr


def test_audio_exports_decrypt_the_audio_beside_them_never_into_the_store(study, tmp_path):
    import soundfile

    out = tmp_path / "out"
    out.mkdir()
    done = companion("--sessions", study.root, "export", study.ref, "-f", "flac", "-o", out / "s.flac", *study.key)
    assert done.returncode == 0, done.stderr
    data, rate = soundfile.read(str(out / "s.flac"), dtype="int16")
    assert rate == 8000 and len(data) == 20000 and data[0] == 0x2010
    assert sorted(p.name for p in out.iterdir()) == ["PR11-" + study.folder.name + ".wav", "s.flac"]
    assert not any(p.suffix in (".wav", ".flac") for p in study.folder.rglob("*"))
