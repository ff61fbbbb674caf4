"""``python -m workbook publish NAME --out DIR --watch`` as a real process: one line per
rebuild, a store that cannot be read for a while is logged and watched again, and SIGTERM or
SIGINT (Ctrl-C) stop it cleanly with exit 0."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.demo_store import demo_store_url
from workbook.app.publish import PAGE
from workbook.store import open_store

NAME = "demo-wwm-2019"
WAIT = 60.0  # seconds any expected line may take, at most (a rebuild takes a few)
pytestmark = [pytest.mark.slow]


@pytest.fixture
def demo_db(tmp_path) -> tuple[str, Path]:
    """The demo store (tests/demo_store.py): its URL and its file."""
    return demo_store_url(tmp_path), tmp_path / "demo.db"


def flip_answers(url: str, count: int = 1, start: int = 0) -> None:
    """Change ``count`` stored answers (yes <-> no): the ratings' inputs change."""
    store = open_store(url)
    try:
        rows = store.judgements(NAME).iloc[start : start + count]
        store.save_judgements(
            NAME,
            [
                (r.case_id, r.question, "no" if r.answer == "yes" else "yes", "inspector 1", None)
                for r in rows.itertuples()
            ],
        )
    finally:
        store.close()


class WatchProcess:
    """``python -m workbook publish NAME --out OUT --db URL --watch`` in its own session, its
    output lines read as they come (``wait_for``)."""

    def __init__(self, url: str, out: Path, cwd: Path, interval: float = 0.2):
        self.out = out
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workbook",
                "publish",
                NAME,
                "--out",
                str(out),
                "--db",
                url,
                "--watch",
                "--interval",
                str(interval),
            ],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))
        self.lines.put((name, None))

    def wait_for(self, stream: str, pattern: str, timeout: float = WAIT) -> str:
        """The next line on ``stream`` ("out" or "err") matching ``pattern`` (a regex)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                continue
            self.seen.append((name, line))
            if name == stream and re.search(pattern, line):
                return line
        raise AssertionError(
            f"no {stream} line matching {pattern!r} in {timeout:.0f} s "
            f"(exit status {self.process.poll()}); seen: {self.seen}"
        )

    def published(self, why: str, timeout: float = WAIT) -> str:
        return self.wait_for("out", rf"^\d\d:\d\d:\d\d Published .*{PAGE} \({why}\)$", timeout)

    def signal(self, signum: int) -> int:
        os.killpg(self.process.pid, signum)
        return self.process.wait(WAIT)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


@pytest.fixture
def watching(tmp_path):
    started: list[WatchProcess] = []

    def start(url: str, out: Path, interval: float = 0.2) -> WatchProcess:
        proc = WatchProcess(url, out, tmp_path, interval)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_watch_publishes_rebuilds_and_stops_cleanly_on_a_signal(
    signum, demo_db, tmp_path, watching
):
    url, _ = demo_db
    out = tmp_path / "site"
    proc = watching(url, out)
    assert str(out / PAGE) in proc.published("started")
    flip_answers(url)
    line = proc.published("inspection changed")
    store = open_store(url, read_only=True)
    try:
        assert store.last_change(NAME) not in line  # words, not the store's token
    finally:
        store.close()
    t0 = time.monotonic()
    assert proc.signal(signum) == 0
    assert time.monotonic() - t0 < 15
    proc.wait_for("out", "Stopped watching")
    assert (out / PAGE).read_bytes().rstrip().endswith(b"</html>")
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert [line for name, line in proc.seen if name == "err"] == []


def test_watch_survives_the_store_being_unreadable_for_a_while(demo_db, tmp_path, watching):
    """The store file moved away, then back: one line on stderr (no traceback), the page
    already published stays, and the next change is published."""
    url, path = demo_db
    out = tmp_path / "site"
    proc = watching(url, out)
    proc.published("started")
    good = (out / PAGE).read_bytes()
    away = path.with_name("elsewhere.db")
    path.rename(away)
    line = proc.wait_for("err", "the store cannot be read")
    assert str(path) in line and "trying again" in line
    assert proc.process.poll() is None
    assert (out / PAGE).read_bytes() == good
    away.rename(path)
    proc.wait_for("err", "recovered")
    flip_answers(url)
    proc.published("inspection changed")
    assert proc.signal(signal.SIGTERM) == 0
    errors = [line for name, line in proc.seen if name == "err"]
    assert len(errors) == 2 and not any("Traceback" in e for e in errors), errors
