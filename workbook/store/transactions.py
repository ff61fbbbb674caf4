"""Transactions: one short read or write transaction per public method.

Writes on SQLite start with ``BEGIN IMMEDIATE`` (see :mod:`workbook.store.engine`) and are
retried while the database is busy; on PostgreSQL a serialization failure or a deadlock is
retried the same way, and a unique-constraint violation (two first answers to one question at
the same moment) is retried a few times so the loser sees the winner's row.

A failure is recognised by the driver's own code, never by the words of its message: SQLite's
``sqlite_errorname`` (``SQLITE_BUSY``, ``SQLITE_FULL``, ...) and PostgreSQL's SQLSTATE
(``40001``, ``25006``, ...). A message can quote a file path or a database name, and a path
holding the word "busy" is not a busy database.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..errors import Problem, StoreError
from ..reasons import Reason

LOCK_PATIENCE_S = 120.0  # how long a write keeps retrying a busy database
UNIQUE_RETRIES = 3  # a first answer that lost a race is retried this often

T = TypeVar("T")

# -- kinds of failure ----------------------------------------------------------------------------

BUSY = "busy"  # locked or busy for now: try again
UNIQUE = "unique"  # a unique constraint: someone saved the same first answer a moment ago
FULL = "full"
READ_ONLY = "read_only"
CANNOT_OPEN = "cannot_open"
NOT_A_STORE = "not_a_store"
CANNOT_CONNECT = "cannot_connect"
FAILED = "failed"

# SQLite's primary result codes (the extended ones, such as SQLITE_BUSY_SNAPSHOT, are read by
# their first two words) and the few extended codes that matter on their own
_SQLITE_KINDS = {
    "SQLITE_BUSY": BUSY,
    "SQLITE_LOCKED": BUSY,
    "SQLITE_FULL": FULL,
    "SQLITE_READONLY": READ_ONLY,
    "SQLITE_CANTOPEN": CANNOT_OPEN,
    "SQLITE_NOTADB": NOT_A_STORE,
    "SQLITE_CORRUPT": NOT_A_STORE,
    "SQLITE_CONSTRAINT_UNIQUE": UNIQUE,
    "SQLITE_CONSTRAINT_PRIMARYKEY": UNIQUE,
}

# PostgreSQL SQLSTATE codes; a class (the first two characters) stands for all its codes
_POSTGRESQL_KINDS = {
    "40001": BUSY,  # serialization_failure
    "40P01": BUSY,  # deadlock_detected
    "55P03": BUSY,  # lock_not_available
    "23505": UNIQUE,  # unique_violation
    "25006": READ_ONLY,  # read_only_sql_transaction
    "53100": FULL,  # disk_full
    "08": CANNOT_CONNECT,  # connection exceptions
    "57P01": CANNOT_CONNECT,  # admin_shutdown
    "57P02": CANNOT_CONNECT,  # crash_shutdown
    "57P03": CANNOT_CONNECT,  # cannot_connect_now
    "3D000": CANNOT_CONNECT,  # invalid_catalog_name: no such database
    "28": CANNOT_CONNECT,  # invalid authorization
}


def driver_error(exc: BaseException) -> BaseException:
    """Return the driver's own exception inside ``exc`` (SQLAlchemy wraps it as ``.orig``)."""
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    return exc if orig is None else orig


def classify(exc: BaseException) -> str:
    """Return the kind of failure ``exc`` is, from the driver's code alone.

    Parameters
    ----------
    exc
        An exception of the sqlite3 or psycopg driver (or SQLAlchemy's wrapper of one).

    Returns
    -------
    str
        One of ``busy``, ``unique``, ``full``, ``read_only``, ``cannot_open``,
        ``not_a_store``, ``cannot_connect`` or ``failed``.
    """
    exc = driver_error(exc)
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", None) or ""
        return _SQLITE_KINDS.get(name) or _SQLITE_KINDS.get("_".join(name.split("_")[:2]), FAILED)
    if hasattr(exc, "sqlstate"):  # psycopg
        state = exc.sqlstate
        if state is None:
            import psycopg  # the driver that raised it is loaded

            # no SQLSTATE: the client's own failure, such as a refused or lost connection
            return CANNOT_CONNECT if isinstance(exc, psycopg.OperationalError) else FAILED
        return _POSTGRESQL_KINDS.get(state) or _POSTGRESQL_KINDS.get(state[:2], FAILED)
    return FAILED


def _message_of(exc: BaseException) -> str:
    return str(driver_error(exc))


# the problem each kind of failure is, in the words the inspectors read
_PROBLEMS = {
    FULL: (
        Reason.DISK_FULL,
        "the disk holding the store is full; nothing was saved. Free some space and save again.",
    ),
    READ_ONLY: (
        Reason.READ_ONLY,
        "the store was opened read-only (or its file or disk is read-only); nothing was saved.",
    ),
    CANNOT_OPEN: (
        Reason.CANNOT_OPEN,
        "the store cannot be opened: check the folder exists and may be written.",
    ),
    NOT_A_STORE: (Reason.NOT_A_STORE, "the file is not a workbook store (or is damaged)."),
    CANNOT_CONNECT: (Reason.CANNOT_CONNECT, "the database server cannot be reached."),
}


def store_error_from(exc: BaseException, url_text: str) -> StoreError:
    """Return the :class:`StoreError` a driver's failure is, located at the store's URL."""
    msg = _message_of(exc)
    kind = classify(exc)
    if kind in _PROBLEMS:
        code, message = _PROBLEMS[kind]
        return StoreError(Problem(code, message, file=url_text, value=msg))
    first = msg.splitlines()[0] if msg else type(driver_error(exc)).__name__
    return StoreError(
        Problem(
            Reason.STORE_FAILED,
            f"the store could not complete the operation; nothing was saved ({first}).",
            file=url_text,
            value=msg,
        )
    )


def read_only_error(url_text: str) -> StoreError:
    """Return the error of a write asked of a store opened read-only."""
    return StoreError(
        Problem(
            Reason.READ_ONLY,
            "the store was opened read-only; nothing was saved. Open it without read-only to make changes.",
            file=url_text,
        )
    )


def _pause(attempt: int) -> None:
    time.sleep(min(0.05, 0.0005 * attempt) * (0.5 + random.random()))


class Transactions:
    """Read and write transactions on one engine, with retries and errors for people.

    Parameters
    ----------
    engine
        The SQLAlchemy engine (see :func:`workbook.store.engine.open_store`).
    url_text
        The store's URL as shown to people (password hidden).
    read_only
        True when the store was opened read-only: every write is refused before it starts.
    """

    def __init__(self, engine: Engine, url_text: str, read_only: bool):
        self.engine = engine
        self.url = url_text
        self.read_only = read_only
        self._dbapi_error = engine.dialect.loaded_dbapi.Error

    def _is_driver_error(self, exc: BaseException) -> bool:
        return isinstance(driver_error(exc), self._dbapi_error)

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """Yield a connection in one read transaction; a driver's failure is a StoreError."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except StoreError:
            raise
        except Exception as exc:
            if not self._is_driver_error(exc):
                raise
            raise store_error_from(exc, self.url) from None

    def refuse_if_read_only(self) -> None:
        """Raise the read-only error when the store was opened read-only."""
        if self.read_only:
            raise read_only_error(self.url)

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(conn)`` in one write transaction, retrying while the store is busy.

        Parameters
        ----------
        work
            Does the writing on the connection it is given; it may run more than once (each
            attempt in a new transaction), so it must not change anything outside it.

        Returns
        -------
        object
            What ``work`` returns.

        Raises
        ------
        StoreError
            Read-only store, a store busy for longer than ``LOCK_PATIENCE_S``, or any other
            failure of the database; nothing was saved.
        """
        self.refuse_if_read_only()
        deadline = time.monotonic() + LOCK_PATIENCE_S
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(work)
            except StoreError:
                raise
            except Exception as exc:
                if not self._is_driver_error(exc):
                    raise
                if not self._retry(exc, attempt, deadline):
                    raise self._failure(exc) from None

    def _attempt(self, work: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            conn = conn.execution_options(workbook_write=True)
            with conn.begin():
                return work(conn)

    def _retry(self, exc: BaseException, attempt: int, deadline: float) -> bool:
        kind = classify(exc)
        if kind == UNIQUE:
            # two first answers to the same question at once: the loser retries and sees the row
            return attempt <= UNIQUE_RETRIES
        if kind == BUSY and time.monotonic() < deadline:
            _pause(attempt)
            return True
        return False

    def _failure(self, exc: BaseException) -> StoreError:
        if classify(exc) == BUSY:
            return StoreError(
                Problem(
                    Reason.LOCKED,
                    f"the store stayed busy for {LOCK_PATIENCE_S:.0f} s; nothing was saved. Try again.",
                    file=self.url,
                )
            )
        return store_error_from(exc, self.url)


def driver_cursor(conn: Connection) -> Any:
    """Return a cursor of the driver's own connection under ``conn`` (the hot path's SQL)."""
    return conn.connection.driver_connection.cursor()
