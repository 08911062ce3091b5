"""A private PulseAudio server with a null sink, for recording tests and the bench.

Independent of companion (the bench imports it by path). The server runs as the
current user — root included — with its own runtime folder and socket, a mono
48 kHz null sink as the default sink and the sink's monitor as the default source.
Clients find it through ``PULSE_SERVER``; PortAudio reaches it through ALSA's
``pulse`` device (libasound2-plugins), and ALSA's ``default`` points there too while
a PulseAudio server is running (the plugin's 99-pulse.conf hook).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

SINK = "companion_null"
MONITOR = f"{SINK}.monitor"
RATE = 48000

TOOLS = ("pulseaudio", "pactl", "paplay", "pacat")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class PulseSandbox:
    def __init__(self, rate: int = RATE):
        self.rate = rate
        # Short path: a unix socket path must stay under 108 bytes.
        self.dir = Path(tempfile.mkdtemp(prefix="cpa-"))
        self.socket = self.dir / "native"
        self.server = f"unix:{self.socket}"
        self.log = self.dir / "pulseaudio.log"
        self.process: subprocess.Popen | None = None
        self.awake: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment for a client of this server (and for the server itself)."""
        env = dict(os.environ)
        env.update(PULSE_SERVER=self.server, XDG_RUNTIME_DIR=str(self.dir / "run"), HOME=str(self.dir))
        return env

    def start(self, timeout: float = 15.0) -> None:
        (self.dir / "run").mkdir(mode=0o700, exist_ok=True)
        script = self.dir / "default.pa"
        script.write_text(
            # norewinds: when a client connects, PulseAudio may rewind the sink and render again
            # what its monitor already delivered, so recordings would hold audio twice.
            f"load-module module-null-sink sink_name={SINK} rate={self.rate} channels=1 format=s16le norewinds=1\n"
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n"
            f"set-default-sink {SINK}\n"
            f"set-default-source {MONITOR}\n"
        )
        command = [
            "pulseaudio", "-n", "-F", str(script),
            "--daemonize=no", "--use-pid-file=no", "--system=false",
            "--exit-idle-time=-1", "--realtime=no", "--high-priority=no",
            "--disable-shm=no", "--log-target=stderr",
        ]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {self.log.read_text()[-2000:]}")
            if self.pactl("info", check=False).returncode == 0:
                self._keep_awake()
                self._wait_for_audio(deadline - time.monotonic())
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("pulseaudio did not answer in time")

    def _wait_for_audio(self, timeout: float) -> None:
        """Return once the monitor delivers audio (the sink's first block has rendered)."""
        reader = subprocess.Popen(
            ["pacat", "--record", "--raw", "--device", MONITOR, "--latency-msec=20"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        timer = threading.Timer(max(0.1, timeout), reader.kill)
        timer.start()
        try:
            reader.stdout.read(64)
        finally:
            timer.cancel()
            reader.kill()
            reader.wait()

    def _keep_awake(self) -> None:
        """Play silence into the sink for as long as the server runs. The null sink
        starts rendering in blocks of about two seconds, so a new recording would wait
        that long for its first audio; a low-latency client keeps the blocks short."""
        self.awake = subprocess.Popen(
            ["pacat", "--playback", "--raw", "--device", SINK, "--format=s16le",
             f"--rate={self.rate}", "--channels=1", "--latency-msec=20", "/dev/zero"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True,
                              check=check, timeout=10)

    def play(self, wav: Path, latency_msec: int = 10) -> subprocess.Popen:
        """Start ``paplay`` on the null sink (returns at once)."""
        return subprocess.Popen(
            ["paplay", f"--latency-msec={latency_msec}", "--device", SINK, str(wav)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def pacat_in(self, latency_msec: int = 10) -> subprocess.Popen:
        """A long-lived raw playback stream (s16le mono) fed on stdin: sound starts
        when bytes are written, without a process start-up in between."""
        return subprocess.Popen(
            ["pacat", "--playback", f"--latency-msec={latency_msec}", "--device", SINK,
             "--format=s16le", f"--rate={self.rate}", "--channels=1", "--raw"],
            env=self.env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def record(self, wav: Path) -> subprocess.Popen:
        """``parecord`` of the monitor into a WAV file (the native-client baseline)."""
        return subprocess.Popen(
            ["parecord", "--device", MONITOR, "--file-format=wav", "--format=s16le",
             f"--rate={self.rate}", "--channels=1", str(wav)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def activate(self) -> dict[str, str | None]:
        """Point this process's PulseAudio clients here; returns what to restore."""
        saved = {key: os.environ.get(key) for key in ("PULSE_SERVER",)}
        os.environ["PULSE_SERVER"] = self.server
        return saved

    @staticmethod
    def restore(saved: dict[str, str | None]) -> None:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def crash(self) -> None:
        """Kill the server the way a crash would (the socket and folder stay for a restart)."""
        if self.awake is not None:
            self.awake.kill()
            self.awake.wait()
            self.awake = None
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.awake is not None:
            self.awake.kill()
            self.awake.wait()
            self.awake = None
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)
