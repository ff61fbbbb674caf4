"""The watching loop (workbook/app/watch.py) on a real SQLite store, in a thread: it rebuilds
after a change, survives a store that cannot be read for a while and a rebuild that fails, and
stops when asked."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

import pytest

from tests.demo_store import demo_store_url
from workbook.app.publish import PAGE, publish_from_store
from workbook.app.watch import watch
from workbook.errors import StoreError
from workbook.store import open_store

NAME = "demo-wwm-2019"
WAIT = 20.0  # seconds any expected event may take, at most


@pytest.fixture
def demo_db(tmp_path) -> tuple[str, Path]:
    """The demo store (tests/demo_store.py): its URL and its file."""
    return demo_store_url(tmp_path), tmp_path / "demo.db"


def _flip_one_answer(url: str) -> None:
    store = open_store(url)
    try:
        row = store.judgements(NAME).iloc[0]
        answer = "no" if row["answer"] == "yes" else "yes"
        store.save_judgement(NAME, row["case_id"], row["question"], answer, "inspector 1")
    finally:
        store.close()


class Running:
    """watch() in a thread; what it does lands in ``events`` (("rebuild", why) and
    ("log", line)); ``stop()`` ends it and re-raises what the thread raised."""

    def __init__(self, url, rebuild=None, interval=0.1, verbose=False):
        self.events: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.stop_event = threading.Event()
        self.error: BaseException | None = None
        self.rebuilds = 0

        def default(store, why):
            store.last_change(NAME)

        def recorded(store, why):
            (rebuild or default)(store, why)
            self.rebuilds += 1
            self.events.put(("rebuild", why))

        def run():
            try:
                watch(
                    url,
                    NAME,
                    recorded,
                    interval=interval,
                    stop=self.stop_event,
                    log=lambda line: self.events.put(("log", line)),
                    verbose=verbose,
                )
            except BaseException as exc:  # handed to the test by stop()
                self.error = exc
            self.events.put(("ended", ""))

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def wait_for(self, kind: str, text: str = "") -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(event)
            if event[0] == kind and text in event[1]:
                return event[1]
            if event[0] == "ended":
                raise AssertionError(f"watch ended ({self.error!r}); seen: {self.seen}")
        raise AssertionError(f"no {kind} {text!r} within {WAIT} s; seen: {self.seen}")

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "watch did not stop"
        if self.error is not None:
            raise self.error


def test_watch_rebuilds_once_at_the_start_and_after_each_change(demo_db):
    url, _ = demo_db
    running = Running(url)
    try:
        assert running.wait_for("rebuild") == "started"
        for _ in range(3):
            _flip_one_answer(url)
            assert running.wait_for("rebuild") == "inspection changed"
    finally:
        running.stop()
    assert running.rebuilds == 4
    assert [e for e in running.seen if e[0] == "log"] == []


@pytest.mark.postgres
def test_watch_follows_a_teams_postgresql_store(pg_url):
    from workbook.demo import ensure_demo

    store = open_store(pg_url)
    try:
        ensure_demo(store)
    finally:
        store.close()
    running = Running(pg_url)
    try:
        assert running.wait_for("rebuild") == "started"
        _flip_one_answer(pg_url)
        assert running.wait_for("rebuild") == "inspection changed"
    finally:
        running.stop()


def test_watch_stops_promptly_when_asked(demo_db):
    url, _ = demo_db
    running = Running(url, interval=30.0)  # a long poll: stopping must not wait for it
    running.wait_for("rebuild", "started")
    t0 = time.monotonic()
    running.stop()
    assert time.monotonic() - t0 < 5


def test_an_unknown_inspection_or_a_missing_store_is_raised_at_the_start(demo_db, tmp_path):
    url, _ = demo_db
    calls = []
    with pytest.raises(StoreError) as caught:
        watch(url, "no such inspection", lambda s, w: calls.append(w), stop=threading.Event())
    assert "unknown_inspection" in caught.value.codes
    with pytest.raises(StoreError) as caught:
        watch(f"sqlite:///{tmp_path / 'none.db'}", NAME, lambda s, w: calls.append(w))
    assert "missing_store" in caught.value.codes
    assert calls == []
    with pytest.raises(ValueError):
        watch(url, NAME, lambda s, w: None, interval=0)


def test_a_store_that_cannot_be_read_for_a_while_is_logged_once_and_watched_again(demo_db):
    url, path = demo_db
    running = Running(url)
    try:
        running.wait_for("rebuild", "started")
        away = path.with_name("moved-away.db")
        path.rename(away)
        line = running.wait_for("log", "the store cannot be read")
        assert str(path) in line and "\n" not in line and "Traceback" not in line
        # a few more polls fail: nothing more is logged until it recovers
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            assert running.events.empty() or running.events.get()[0] != "log"
            time.sleep(0.05)
        away.rename(path)
        assert "recovered" in running.wait_for("log")
        _flip_one_answer(url)
        assert running.wait_for("rebuild") == "inspection changed"
    finally:
        running.stop()


def test_a_failed_rebuild_is_logged_the_last_page_stays_and_it_is_retried(demo_db, tmp_path):
    """A site folder that cannot be written (its parent is a file): the page already
    published stays, the problem is one line, and the rebuild is retried until it works."""
    url, _ = demo_db
    out = {"folder": tmp_path / "site"}

    def rebuild(store, why):
        publish_from_store(store, NAME, out["folder"], 5)

    running = Running(url, rebuild)
    try:
        running.wait_for("rebuild", "started")
        good = (tmp_path / "site" / PAGE).read_bytes()
        blocker = tmp_path / "blocker"
        blocker.write_text("a file where a folder should be")
        out["folder"] = blocker / "site"
        _flip_one_answer(url)
        line = running.wait_for("log", "the site could not be rebuilt")
        assert str(blocker) in line and "Traceback" not in line and "\n" not in line
        assert (tmp_path / "site" / PAGE).read_bytes() == good
        blocker.unlink()  # the folder can be made now: the retry (2 s later) succeeds
        assert running.wait_for("rebuild") == "inspection changed"
        assert (blocker / "site" / PAGE).read_bytes().rstrip().endswith(b"</html>")
        assert "recovered" in running.wait_for("log")
    finally:
        running.stop()


def test_a_traceback_is_logged_only_when_asked(demo_db):
    url, _ = demo_db
    fail = {"now": False}

    def rebuild(store, why):
        if fail["now"]:
            raise RuntimeError("the renderer broke")

    running = Running(url, rebuild, verbose=True)
    try:
        running.wait_for("rebuild", "started")
        fail["now"] = True
        _flip_one_answer(url)
        assert "RuntimeError: the renderer broke" in running.wait_for("log", "could not be rebuilt")
        assert "Traceback" in running.wait_for("log", "Traceback")
    finally:
        running.stop()
