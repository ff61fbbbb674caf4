"""ChangeFeed: the cheap change check and the new history rows, on real SQLite and PostgreSQL,
with saves by another Store on the same URL and by another process."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest

from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import open_store
from workbook.store.changes import ChangeFeed
from workbook.store.history import HistoryRow, history_row
from workbook.store.values import now

from .sample import NAME

SAVE_IN_ANOTHER_PROCESS = """
import sys
from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import open_store
with open_store(sys.argv[1]) as s:
    s.save_judgement(sys.argv[2], "C002", "2.1.2", "no", "inspector B", note="from afar")
"""


def _changed_soon(feed: ChangeFeed, within_s: float = 2.0) -> bool:
    """The check turns True at the next call on SQLite; a NOTIFY may take a moment to arrive."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if feed.changed():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def colleague(store_url, store):
    """Another session on the same store (another Store, its own connections)."""
    other = open_store(store_url)
    yield other
    other.close()


def test_idle_check_is_false_and_a_colleagues_save_is_read_once(store, colleague):
    with ChangeFeed(store, NAME) as feed:
        assert feed.read() == []  # nothing since the feed opened
        assert [feed.changed() for _ in range(50)] == [False] * 50
        colleague.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector B")
        assert _changed_soon(feed)
        entries = feed.read()
        assert [(e.entity, e.case_id, e.question, e.old, e.new, e.by) for e in entries] == [
            ("judgement", "C001", "2.1.1", None, "yes", "inspector B")
        ]
        assert entries[0].id == store.history(NAME)[-1].id
        assert feed.read() == []  # exactly once
        assert not feed.changed()
        colleague.save_judgement(NAME, "C001", "2.1.1", "no", "inspector B")
        colleague.save_decision(NAME, "2.1", "Good", "strong practice seen", "lead")
        assert _changed_soon(feed)
        assert [(e.entity, e.old, e.new) for e in feed.read()] == [
            ("judgement", "yes", "no"),
            ("decision", None, "Good"),
        ]


def test_a_save_in_another_process_is_seen(store, store_url):
    with ChangeFeed(store, NAME) as feed:
        subprocess.run(
            [sys.executable, "-c", SAVE_IN_ANOTHER_PROCESS, store_url, NAME],
            check=True,
            timeout=120,
        )
        assert _changed_soon(feed)
        (entry,) = feed.read()
        assert (entry.case_id, entry.question, entry.new, entry.new_note) == (
            "C002",
            "2.1.2",
            "no",
            "from afar",
        )
        assert not feed.changed() and feed.read() == []


def test_the_feeds_own_store_saves_are_changes_too(store):
    """The feed's connection is its own: a save through the same Store is another connection's
    commit, so it is seen (skipping one's own saves is the listeners' business)."""
    with ChangeFeed(store, NAME) as feed:
        store.save_judgement(NAME, "C003", "2.1.1", "yes", "inspector A")
        assert _changed_soon(feed)
        assert [e.by for e in feed.read()] == ["inspector A"]


def test_another_inspections_changes_are_not_this_ones(store, colleague):
    colleague.create_inspection("other-2019", "hmip-2018-crc", fieldwork_start=date(2019, 5, 1))
    with ChangeFeed(store, NAME) as feed:
        colleague.import_cases(
            "other-2019", store.cases(NAME).assign(case_id=lambda f: "X" + f["case_id"])
        )
        # SQLite's check may say "changed" for any commit to the file; PostgreSQL's only for
        # this inspection's rows: either way, nothing is read
        _changed_soon(feed, within_s=0.3)
        assert feed.read() == []
        colleague.save_judgement(NAME, "C004", "2.1.1", "yes", "inspector B")
        assert _changed_soon(feed)
        assert [e.case_id for e in feed.read()] == ["C004"]


def test_a_row_committed_after_a_later_one_is_not_missed(store, colleague):
    """Ids are handed out at insert, not at commit: a slow transaction can commit id N after
    id N+1 was read. The feed looks for the missing id again."""
    iid = store._inspection(NAME).id
    with ChangeFeed(store, NAME) as feed, store._engine.connect() as slow:
        tx = slow.begin()
        slow.execute(
            HistoryRow.__table__.insert(),
            history_row(iid, "judgement", "C001 2.2.1", old=None, new="yes", by="slow", at=now()),
        )
        if store.dialect == "sqlite":
            tx.commit()  # SQLite: one writer at a time, so ids commit in order
        colleague.save_judgement(NAME, "C002", "2.2.1", "no", "inspector B")
        assert _changed_soon(feed)
        first = [e.by for e in feed.read()]
        if store.dialect != "sqlite":
            assert first == ["inspector B"]
            tx.commit()
            assert _changed_soon(feed)
            assert [e.by for e in feed.read()] == ["slow"]
        else:
            assert first == ["slow", "inspector B"]
        assert feed.read() == []


def test_read_after_a_given_id_and_a_lost_connection_opened_again(store, colleague):
    colleague.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector B")
    first = store.history(NAME)[-1].id
    with ChangeFeed(store, NAME, after=first - 1) as feed:
        assert [e.id for e in feed.read()] == [first]
        feed._watch.conn.close()  # the feed's connection is lost
        with pytest.raises(StoreError):
            feed.changed()
        assert feed.changed() is True  # opened again: a notification may have been missed
        assert not feed.changed()
        colleague.save_judgement(NAME, "C001", "2.1.1", "no", "inspector B")
        assert _changed_soon(feed)
        assert [e.new for e in feed.read()] == ["no"]


def test_a_database_gone_is_a_store_error_and_nothing_is_marked_read(pg_server):
    url = pg_server.create_database("changes_gone")
    with open_store(url) as s:
        s.create_inspection(NAME, "hmip-2018-crc")
        feed = ChangeFeed(s, NAME)
        last = feed.last_id
        pg_server.sql("DROP DATABASE changes_gone WITH (FORCE)")
        with pytest.raises(StoreError) as caught:
            for _ in range(200):  # the server's goodbye arrives in a moment
                feed.changed()
                time.sleep(0.01)
        assert set(caught.value.codes) & {Reason.CANNOT_CONNECT, Reason.STORE_FAILED}
        with pytest.raises(StoreError):
            feed.read()
        assert feed.last_id == last
        feed.close()
