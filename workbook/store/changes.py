"""Following an inspection's changes: a cheap "has anything changed?" and the new history rows.

:class:`ChangeFeed` keeps ONE connection of its own open for the check, so that a check when
nothing changed costs no query:

- SQLite: ``PRAGMA data_version`` on that connection. Its value changes when another
  connection commits to the file (any connection: another process, another
  :class:`~workbook.store.Store`, or this process's own store, whose connections are not the
  feed's). It changes for a commit to ANY inspection of the file, so :meth:`ChangeFeed.read`
  may then find nothing new: the check may say "changed" in vain, never the reverse.
- PostgreSQL: ``LISTEN`` on :data:`workbook.store.schema.NOTIFY_CHANNEL` (every history insert
  notifies it with the inspection's id, see :mod:`workbook.store.schema`) on a connection in
  autocommit; the check reads what the server has sent without waiting (libpq's
  ``PQconsumeInput``) and keeps only this inspection's notifications.

What changed is read from the history table: every writer appends a history row, and the rows'
ids grow, so :meth:`ChangeFeed.read` is one query for the rows of the inspection with an id
above the last one read. On PostgreSQL ids are handed out when a row is inserted, not when its
transaction commits: a slower transaction can commit id 10 after id 11 was read. An id missing
below the newest one read is therefore looked for again for ``GAP_PATIENCE_S`` (a rolled-back
transaction leaves a gap that is never filled). A lost connection is opened again at the next check, which then
answers True (a notification may have been missed while it was down); nothing is lost, since
:meth:`ChangeFeed.read` goes by history id, not by notification.
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..errors import StoreError
from . import schema
from .history import HistoryRow
from .transactions import store_error_from
from .values import HistoryEntry, utc

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .facade import Store

GAP_PATIENCE_S = 60.0  # how long an id missing below the newest one read is looked for


def _entry(r: Any) -> HistoryEntry:
    return HistoryEntry(
        r.entity,
        r.key,
        r.old,
        r.new,
        r.by,
        utc(r.at),
        r.case_id,
        r.question,
        r.version,
        r.old_note,
        r.new_note,
        r.reason,
        r.id,
    )


def rows_after(conn: Connection, after: int) -> list[Any]:
    """Return the history rows of EVERY inspection with an id above ``after``, by id.

    Every inspection's, so that an id missing from them is a row not committed yet (or never:
    a rolled-back one), not another inspection's. A range of the primary key: a long history
    costs nothing.

    Parameters
    ----------
    conn : Connection
        An open connection to the store.
    after : int
        The id of the last row already seen (0 for every row).

    Returns
    -------
    list
        The rows (``.id``, ``.inspection_id`` and the history's columns), oldest first.
    """
    h = HistoryRow.__table__
    return list(conn.execute(select(h).where(h.c.id > after).order_by(h.c.id)).all())


def newest_id(conn: Connection) -> int:
    """Return the id of the store's newest history row, of any inspection (0 when none)."""
    h = HistoryRow.__table__
    return int(conn.execute(select(func.max(h.c.id))).scalar() or 0)


class _SqliteWatch:
    """``PRAGMA data_version`` on a connection of its own (see the module's notes)."""

    def __init__(self, raw: Any, conn: sqlite3.Connection):
        self.raw = raw  # detached from the pool: closing it closes the connection
        self.conn = conn
        self.version = self._version()

    def _version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        version = self._version()
        if version == self.version:
            return False
        self.version = version
        return True

    def close(self) -> None:
        self.raw.close()


class _PostgresWatch:
    """``LISTEN`` in autocommit on a connection of its own, read without waiting."""

    def __init__(self, raw: Any, conn: Any, inspection_id: int):
        self.raw = raw
        self.conn = conn  # a psycopg Connection
        self.conn.autocommit = True
        self.conn.execute(f"LISTEN {schema.NOTIFY_CHANNEL}")
        self.payload = str(inspection_id)

    def changed(self) -> bool:
        pgconn = self.conn.pgconn
        pgconn.consume_input()  # what the server has sent; never waits
        found = False
        while (note := pgconn.notifies()) is not None:
            found = found or note.extra.decode() == self.payload
        return found

    def close(self) -> None:
        self.raw.close()


class ChangeFeed:
    """The changes of one inspection, as they are committed by anyone.

    Parameters
    ----------
    store : Store
        An open store (read-only is enough). The feed opens one connection of its own to it.
    name : str
        The inspection's name.
    after : int, optional
        The history id the first :meth:`read` starts after; by default the newest row when
        the feed opens (so :meth:`read` gives only what is saved from now on).

    Raises
    ------
    StoreError
        ``unknown_inspection``; ``cannot_connect`` and the like when the store cannot be
        reached.

    Notes
    -----
    Use it from one thread (the kernel's event loop, see
    :class:`workbook.ui.inspect.live.LiveFollower`). Close it with :meth:`close` (or a
    ``with`` block).
    """

    def __init__(self, store: Store, name: str, after: int | None = None):
        self.store = store
        self.name = name
        self.inspection_id = store._inspection(name).id
        self._watch: _SqliteWatch | _PostgresWatch | None = None
        self.closed = False
        self._open_watch()  # before the newest id is read: nothing falls between the two
        if after is None:
            with store._tx.read() as conn:
                after = newest_id(conn)
        self.last_id = int(after)
        self._gaps: dict[int, float] = {}  # id missing below last_id -> when it was first missed

    def _open_watch(self) -> None:
        try:
            raw = self.store._engine.raw_connection()
            conn = raw.driver_connection
            raw.detach()  # the feed's own connection, never back into the pool
            if self.store.dialect == "sqlite":
                self._watch = _SqliteWatch(raw, conn)
            else:
                self._watch = _PostgresWatch(raw, conn, self.inspection_id)
        except Exception as exc:
            raise self._store_error(exc) from None

    def _store_error(self, exc: Exception) -> Exception:
        """A driver's failure as the StoreError it is; anything else as it is."""
        if isinstance(exc, StoreError) or not self.store._tx._is_driver_error(exc):
            return exc
        return store_error_from(exc, self.store.url)

    def changed(self) -> bool:
        """Return True when a change may have been committed since the last check.

        Costs no query: a few microseconds on SQLite, a non-blocking read of the socket on
        PostgreSQL. After the feed's connection was lost, the next check opens it again and
        answers True. A closed feed answers False.

        Returns
        -------
        bool
            True: call :meth:`read` (it may find nothing, see the module's notes).

        Raises
        ------
        StoreError
            ``cannot_connect`` (or another driver failure) when the connection cannot be
            opened again; the next call tries again.
        """
        if self.closed:
            return False
        if self._watch is None:
            self._open_watch()
            return True
        try:
            return self._watch.changed()
        except Exception as exc:
            self._drop_watch()
            raise self._store_error(exc) from None

    def _drop_watch(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            try:
                watch.close()
            except Exception:  # already broken: nothing more to close
                pass

    def read(self) -> list[HistoryEntry]:
        """Return the inspection's history rows committed since the last read, oldest first.

        One query (the rows with an id above the last one read, and the ids still missing
        below it, see the module's notes). Each row is returned once.

        Returns
        -------
        list of HistoryEntry
            Judgements (``old``/``new`` answers, ``case_id``, ``question``), decisions, cases
            and the team's changes, each with its ``id``.

        Raises
        ------
        StoreError
            When the store cannot be read; nothing is marked as read, so the next call
            returns the same rows and more.
        """
        clock = time.monotonic()
        self._gaps = {i: t for i, t in self._gaps.items() if clock - t < GAP_PATIENCE_S}
        floor = min(self._gaps, default=self.last_id + 1) - 1
        with self.store._tx.read() as conn:
            rows = [r for r in rows_after(conn, floor) if r.id > self.last_id or r.id in self._gaps]
        ids = {r.id for r in rows}
        for found in ids & self._gaps.keys():
            del self._gaps[found]
        newest = max(ids, default=self.last_id)
        for missing in range(self.last_id + 1, newest):
            if missing not in ids:
                self._gaps[missing] = clock
        self.last_id = max(self.last_id, newest)
        return [_entry(r) for r in rows if r.inspection_id == self.inspection_id]

    def close(self) -> None:
        """Close the feed's own connection for good (the store stays open)."""
        self.closed = True
        self._drop_watch()

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
