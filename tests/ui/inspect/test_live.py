"""LiveFollower: colleagues' saves reach the callbacks, on a real event loop and driven by
check(); a failing callback does not stop the others; a store that cannot be read is retried.
Real SQLite (the demo store) and real PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.store.sample import CASES, NAME
from workbook.store import open_store
from workbook.ui.inspect.live import LiveFollower


@pytest.fixture
def colleague(demo_url):
    other = open_store(demo_url)
    yield other
    other.close()


def _flip(store, name, case, question, who) -> str:
    """Save the other answer than the current one (a save that changes nothing writes
    nothing); return it."""
    current = store.case_judgements(name, case).get(question)
    answer = "no" if current and current.answer == "yes" else "yes"
    store.save_judgement(
        name, case, question, answer, who, expect_version=current.version if current else 0
    )
    return answer


def test_check_passes_a_colleagues_save_to_every_callback_once(demo_store, demo_name, colleague):
    follower = LiveFollower.open(demo_store, demo_name)
    seen_a, seen_b = [], []
    follower.on_change(seen_a.extend)
    follower.on_change(seen_b.extend)
    try:
        assert follower.check() == [] and follower.checks == 1
        answer = _flip(colleague, demo_name, "D19-CS-001", "2.1.1", "inspector B")
        delivered = follower.check()
        assert [(e.case_id, e.question, e.new, e.by) for e in delivered] == [
            ("D19-CS-001", "2.1.1", answer, "inspector B")
        ]
        assert seen_a == seen_b == delivered
        assert follower.check() == [] and len(seen_a) == 1  # once
        follower.remove(seen_b.extend)
        _flip(colleague, demo_name, "D19-CS-001", "2.1.1", "inspector B")
        follower.check()
        assert len(seen_a) == 2 and len(seen_b) == 1
    finally:
        follower.close()
    assert follower.closed and follower.check() == []
    assert follower.feed.closed and not follower.feed.changed()  # the feed it owned is closed


def test_a_failing_callback_is_logged_and_the_others_still_run(
    demo_store, demo_name, colleague, caplog
):
    follower = LiveFollower.open(demo_store, demo_name)
    seen = []

    def broken(entries):
        raise RuntimeError("a widget is broken")

    follower.on_change(broken)
    follower.on_change(seen.extend)
    try:
        _flip(colleague, demo_name, "D19-CS-002", "2.1.1", "inspector B")
        with caplog.at_level(logging.ERROR, logger="workbook.ui.inspect.live"):
            follower.check()
        assert len(seen) == 1
        assert "a widget is broken" in caplog.text
        _flip(colleague, demo_name, "D19-CS-002", "2.1.1", "inspector B")
        follower.check()
        assert len(seen) == 2  # the broken one stays registered and does not stop the rest
    finally:
        follower.close()


def test_on_the_event_loop_a_save_arrives_within_the_target_and_close_stops_it(
    demo_store, demo_name, colleague
):
    async def follow():
        follower = LiveFollower.open(demo_store, demo_name, interval=0.5)
        arrived = asyncio.get_running_loop().create_future()
        follower.on_change(lambda entries: arrived.done() or arrived.set_result(entries))
        assert follower.start() and follower.running
        await asyncio.sleep(1.1)  # idle polls
        idle_checks = follower.checks
        t0 = time.monotonic()
        _flip(colleague, demo_name, "D19-CS-003", "2.1.2", "inspector B")
        entries = await asyncio.wait_for(arrived, timeout=3.0)
        took = time.monotonic() - t0
        follower.close()
        checks = follower.checks
        await asyncio.sleep(1.1)
        return idle_checks, entries, took, checks, follower

    idle_checks, entries, took, checks, follower = asyncio.run(follow())
    assert idle_checks >= 1
    assert [e.case_id for e in entries] == ["D19-CS-003"]
    assert took < 3.0
    assert follower.checks == checks and not follower.running  # closed: no more polls


def test_without_an_event_loop_start_says_so(demo_store, demo_name):
    follower = LiveFollower.open(demo_store, demo_name)
    try:
        assert follower.start() is False and not follower.running
    finally:
        follower.close()
    assert follower.start(asyncio.new_event_loop()) is False  # closed


def test_a_store_that_cannot_be_read_is_retried_and_nothing_is_lost(pg_server, pg_url, caplog):
    """Every connection of the database is cut (as when the server restarts): the follower
    records the problem, waits longer between tries, and delivers what was saved meanwhile."""
    store = open_store(pg_url)
    store.create_inspection(NAME, "hmip-2018-crc")
    store.import_cases(NAME, CASES)
    follower = LiveFollower.open(store, NAME, retry_after=1.0, retry_most=4.0)
    seen = []
    follower.on_change(seen.extend)
    database = pg_url.rsplit("/", 1)[1]
    try:
        pg_server.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        with caplog.at_level(logging.WARNING, logger="workbook.ui.inspect.live"):
            deadline = time.monotonic() + 5
            while follower.problem is None and time.monotonic() < deadline:
                follower.check()
                time.sleep(0.02)
        assert follower.problem is not None and follower.failures >= 1
        assert "retrying" in caplog.text
        assert follower.next_delay >= 1.0
        with open_store(pg_url) as colleague:  # a session opened after the cut
            colleague.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector B")
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            follower.check()
            time.sleep(0.02)
        assert [(e.case_id, e.new) for e in seen] == [("C001", "yes")]
        assert follower.problem is None and follower.failures == 0
        assert follower.next_delay == follower.interval
    finally:
        follower.close()
        store.close()


def test_the_wait_between_retries_doubles_up_to_the_most(demo_store, demo_name):
    follower = LiveFollower.open(demo_store, demo_name, retry_after=1.0, retry_most=5.0)
    try:
        waits = []
        for failures in range(5):
            follower.failures = failures
            waits.append(follower.next_delay)
        assert waits == [0.5, 1.0, 2.0, 4.0, 5.0]
    finally:
        follower.close()
