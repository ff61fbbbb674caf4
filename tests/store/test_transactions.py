"""Transactions under load and faults, on real SQLite and real PostgreSQL: 8 writer processes at
once, writers killed with SIGKILL mid-batch, a full disk and a read-only file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event

from workbook.bench.store import REPO, writer_command, writer_env
from workbook.errors import StoreError
from workbook.store import open_store

NAME = "load"
N_CASES = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


def _set_up(url: str, name: str = NAME, n_cases: int = N_CASES):
    store = open_store(url)
    store.create_inspection(name, "hmip-2018-crc")
    store.import_cases(
        name,
        pd.DataFrame(
            {
                "case_id": [f"C{i:03d}" for i in range(n_cases)],
                "ldu": ["North", "South"] * (n_cases // 2),
            }
        ),
    )
    return store


def _saves(stdout: str) -> list[tuple[str, str, str, str, int]]:
    out = []
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in ("SAVED", "SAME") and len(parts) == 5:
            out.append((parts[0], parts[1], parts[2], parts[3], int(parts[4])))
    return out


@pytest.mark.slow
def test_eight_writers_at_once_lose_nothing(store_url):
    """8 processes each save 250 judgements over 100 shared (case, KQ) pairs at once."""
    store = _set_up(store_url)
    start_at = time.time() + 3.0
    procs = [
        subprocess.Popen(
            writer_command(store_url, NAME, w, 250, 100 + w, 100, start_at),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=writer_env(),
            cwd=REPO,
        )
        for w in range(8)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err.lower() and "locked" not in out.lower()
    saves = [s for out, _ in results for s in _saves(out)]
    assert len(saves) == 8 * 250
    changed = [(c, q, a, v) for word, c, q, a, v in saves if word == "SAVED"]
    history = [h for h in store.history(NAME) if h.entity == "judgement"]
    # every change is in the history, once, and nothing else is
    assert sorted((h.case_id, h.question, h.new, h.version) for h in history) == sorted(changed)
    versions = defaultdict(list)
    last = {}
    for h in history:
        versions[(h.case_id, h.question)].append(h.version)
        if h.version == max(versions[(h.case_id, h.question)]):
            last[(h.case_id, h.question)] = h
    for key, vs in versions.items():
        assert sorted(vs) == list(range(1, len(vs) + 1)), (
            key
        )  # no lost update, no duplicate version
    # the current state is the last write for each case and KQ
    current = store.judgements(NAME)
    assert len(current) == len(versions)
    for row in current.itertuples():
        h = last[(row.case_id, row.question)]
        assert (row.answer, row.version, row.inspector) == (h.new, h.version, h.by)
    store.close()


@pytest.mark.slow
def test_writers_killed_mid_batch_lose_no_committed_save(store_url, tmp_path):
    """20 times: a writer is killed with SIGKILL in the middle of a batch. Every save it
    printed (it prints after each commit) is present, and SQLite's integrity check passes."""
    store = _set_up(store_url)
    rng = random.Random(20)
    printed = []
    for round_ in range(20):
        proc = subprocess.Popen(
            writer_command(store_url, NAME, round_, 100_000, round_, 200),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=writer_env(),
            cwd=REPO,
        )
        wanted = rng.randint(3, 40)
        lines = []
        while len(lines) < wanted:
            line = proc.stdout.readline()
            assert line, "the writer stopped by itself"
            lines.append(line)
        time.sleep(rng.random() * 0.05)  # land the kill anywhere in a save
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        printed += _saves("".join(lines) + rest)
    if store_url.startswith("sqlite"):
        path = store_url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
    history = {
        (h.case_id, h.question, h.version): h.new
        for h in store.history(NAME)
        if h.entity == "judgement"
    }
    saved = [s for s in printed if s[0] == "SAVED"]
    assert len(saved) > 100
    for _, case_id, question, answer, version in saved:
        assert history.get((case_id, question, version)) == answer
    current = store.case_judgements(NAME, "C000")
    assert current, "the store still answers"
    store.save_judgement(NAME, "C000", "2.1.1", "yes", "after")  # and still takes saves
    store.close()


# -- full disk and read-only file (SQLite files) -----------------------------------------------


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.mark.slow
def test_full_disk_gives_a_clear_error_and_keeps_the_previous_state(tmp_path):
    """A real full disk: a 512 KiB tmpfs (as root). Without the right to mount, SQLite's
    max_page_count makes the database full instead."""
    disk = tmp_path / "disk"
    mounted = _mount_tmpfs(disk, "512k")
    try:
        url = f"sqlite:///{disk / 'store.db'}"
        store = _set_up(url, n_cases=400)
        if not mounted:
            pages = store._engine.connect().exec_driver_sql("PRAGMA page_count").scalar() + 6

            @event.listens_for(store._engine, "connect")
            def _limit(dbapi_conn, _record):
                dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

        questions = ["2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.3.1", "2.3.2"]
        done = {}
        error = None
        for i in range(100_000):
            key = (f"C{i % 400:03d}", questions[(i // 400) % len(questions)])
            note = f"note {i} " + "x" * 300
            try:
                store.save_judgement(NAME, *key, "yes" if i % 3 else "no", "inspector-1", note=note)
            except StoreError as exc:
                error = exc
                break
            done[key] = ("yes" if i % 3 else "no", note)
        assert error is not None, "the disk never filled"
        assert (
            error.codes == ["disk_full"]
            and "full" in str(error)
            and "nothing was saved" in str(error)
        )
        assert len(done) > 10
        # the same connection pool still reads, and the state is every save that returned
        store.close()
        again = open_store(url)
        frame = again.judgements(NAME)
        assert {(r.case_id, r.question): (r.answer, r.note) for r in frame.itertuples()} == done
        history = [h for h in again.history(NAME) if h.entity == "judgement"]
        assert len(history) == len(done)
        again.close()
        if mounted:
            conn = sqlite3.connect(disk / "store.db")
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            conn.close()
    finally:
        if mounted:
            _umount(disk)


@pytest.mark.slow
def test_read_only_file_gives_a_clear_error_and_keeps_the_previous_state(tmp_path):
    """A store on a file system remounted read-only (as root: permissions do not stop root);
    otherwise a file and folder without write permission."""
    disk = tmp_path / "disk"
    mounted = _mount_tmpfs(disk, "4m")
    try:
        url = f"sqlite:///{disk / 'store.db'}"
        store = _set_up(url)
        store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
        before = store.judgements(NAME)
        store.close()
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        else:
            os.chmod(disk / "store.db", 0o444)
            os.chmod(disk, 0o555)
        with pytest.raises(StoreError) as info:
            s = open_store(url)
            try:
                s.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-1")
            finally:
                s.close()
        assert info.value.codes[0] in ("read_only", "cannot_open")
        message = str(info.value)
        assert "read-only" in message or "cannot be opened" in message
        if mounted:  # a reader that cannot make the WAL's -shm file is told why and what to do
            with pytest.raises(StoreError) as info:
                open_store(url, read_only=True)
            assert info.value.codes == ["cannot_read"] and "PostgreSQL" in str(info.value)
        if mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        else:
            os.chmod(disk, 0o755)
            os.chmod(disk / "store.db", 0o644)
        again = open_store(url)
        pd.testing.assert_frame_equal(again.judgements(NAME), before)
        again.close()
    finally:
        if mounted:
            _umount(disk)


# -- failures classified by the driver's code, never by the words of a message ----------------


def test_a_locked_sqlite_database_is_busy(tmp_path):
    from workbook.store.transactions import BUSY, classify

    path = tmp_path / "store.db"
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        holder.close()
    assert caught.value.sqlite_errorname == "SQLITE_BUSY"
    assert classify(caught.value) == BUSY


def test_busy_in_a_file_path_is_not_a_busy_database(tmp_path):
    """SQLite quotes the file it cannot open: a folder called 'busy' (or 'readonly') is not a
    busy or read-only store."""
    from workbook.store.transactions import CANNOT_OPEN, classify, store_error_from

    conn = sqlite3.connect(":memory:")
    missing = tmp_path / "busy" / "readonly" / "store.db"
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute(f"ATTACH DATABASE '{missing}' AS other")
    finally:
        conn.close()
    assert "busy" in str(caught.value) and "readonly" in str(caught.value)
    assert classify(caught.value) == CANNOT_OPEN
    assert store_error_from(caught.value, "sqlite:///x").codes == ["cannot_open"]


def test_a_message_alone_classifies_nothing():
    from workbook.store.transactions import FAILED, classify

    assert classify(sqlite3.OperationalError("database is locked")) == FAILED
    assert classify(RuntimeError("busy")) == FAILED


def test_a_postgresql_read_only_transaction_is_read_only(pg_url):
    import psycopg

    from workbook.store.transactions import READ_ONLY, classify, store_error_from

    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, options="-c default_transaction_read_only=on") as conn:
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("CREATE TABLE busy_notes (id integer)")
    assert caught.value.sqlstate == "25006"
    assert classify(caught.value) == READ_ONLY
    assert store_error_from(caught.value, "pg").codes == ["read_only"]


def test_a_postgresql_serialization_failure_is_busy(pg_url):
    import psycopg

    from workbook.store.transactions import BUSY, classify

    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as setup:
        setup.execute("CREATE TABLE counter (id integer PRIMARY KEY, n integer)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
    first, second = psycopg.connect(dsn), psycopg.connect(dsn)
    try:
        for conn in (first, second):
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            conn.execute("SELECT n FROM counter WHERE id = 1").fetchone()
        first.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
        first.commit()
        with pytest.raises(psycopg.Error) as caught:
            second.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
    finally:
        first.close()
        second.close()
    assert caught.value.sqlstate == "40001"
    assert classify(caught.value) == BUSY


def test_a_database_named_busy_and_read_only_that_does_not_exist_cannot_be_reached(pg_server):
    """The server's message quotes the database's name; the name is not the failure."""
    url = pg_server.url("readonly_busy_store")
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "readonly_busy_store" in str(caught.value)
    assert caught.value.codes == ["cannot_connect"]
