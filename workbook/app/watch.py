"""Keep something built from the store in step with it: the watching loop behind
``python -m workbook publish NAME --out DIR --watch``.

:func:`watch` opens the store read-only, calls ``rebuild(store, why)`` once, then polls
:meth:`Store.last_change` (one cheap query) every ``interval`` seconds and calls ``rebuild``
again whenever the token differs from the one of the last good rebuild. It runs until ``stop``
is set.

Once started, nothing stops it but ``stop``:

- a store that cannot be read (a file moved away or replaced for a moment, a database server
  restarting) is logged once, in one line, and tried again at every poll; the store is opened
  afresh, and a SQLite file replaced by another is noticed (its identity is checked at every
  poll) and reopened;
- a rebuild that fails is logged in one line and retried (after 2, 4, ... up to
  :data:`MAX_RETRY` seconds): whatever the last good rebuild wrote stays in place;
- a recovery is logged too. Tracebacks go to the log only when ``verbose`` is set.

Problems at the start (a store that does not open, an unknown inspection, a first rebuild that
fails) are raised: the caller says what is wrong and stops.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_RETRY = 30.0  # seconds between retries of a rebuild that keeps failing, at most

Rebuild = Callable[
    [Any, str], object
]  # rebuild(store, why): why is "started" or "inspection changed"
Log = Callable[[str], object]


def watch(
    db_url: str,
    name: str,
    rebuild: Rebuild,
    *,
    interval: float = 1.0,
    stop: threading.Event | None = None,
    frameworks: Path | str | None = None,
    log: Log | None = None,
    verbose: bool = False,
) -> None:
    """Call ``rebuild(store, why)`` now and after every change of inspection ``name`` in the
    store at ``db_url`` (opened read-only, ``frameworks`` the extra framework folder), polling
    every ``interval`` seconds until ``stop`` is set. ``log`` receives one line per problem or
    recovery (default: standard error).

    Raises WorkbookError or OSError only at the start (see the module's description)."""
    if not interval > 0:
        raise ValueError(f"interval must be a positive number of seconds, not {interval!r}")
    stop = stop if stop is not None else threading.Event()
    watcher = StoreWatcher(db_url, name, rebuild, frameworks, log or _stderr, verbose)
    try:
        watcher.start()
        while not stop.wait(watcher.delay(interval)):
            watcher.poll()
    finally:
        watcher.close()


def _stderr(line: str) -> None:
    import sys

    print(line, file=sys.stderr, flush=True)


class StoreWatcher:
    """The state of one :func:`watch`: the open store, the token of the last good rebuild and
    the problem being retried, if any."""

    def __init__(self, db_url, name, rebuild, frameworks, log, verbose=False):
        self.db_url, self.name, self.rebuild = db_url, name, rebuild
        self.frameworks, self.log, self.verbose = frameworks, log, verbose
        self.store = None
        self.identity: tuple | None = None  # the SQLite file the store was opened on
        self.token: str | None = None  # of the last good rebuild
        self.problem: str | None = None  # what is failing now (said once)
        self.failures = 0  # rebuilds failed in a row
        self.retry_at = 0.0
        self.file = _sqlite_file(db_url)

    # -- the loop ------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store and rebuild once; any problem is raised."""
        self._open()
        token = self.store.last_change(self.name)
        self.rebuild(self.store, "started")
        self.token = token

    def delay(self, interval: float) -> float:
        """Seconds to wait before the next poll."""
        if self.failures:
            return max(interval, min(self.retry_at - time.monotonic(), MAX_RETRY))
        return interval

    def poll(self) -> None:
        """Read the token; rebuild if it changed (or a rebuild is being retried)."""
        try:
            token = self._token()
        except Exception as exc:
            self._close()
            self._failed("the store cannot be read", exc)
            return
        if token == self.token and not self.failures:
            self._recovered()
            return
        try:
            self.rebuild(self.store, "inspection changed")
        except Exception as exc:
            self.failures += 1
            self.retry_at = time.monotonic() + min(2.0**self.failures, MAX_RETRY)
            self._failed("the site could not be rebuilt", exc)
            return
        self.token, self.failures = token, 0
        self._recovered()

    def close(self) -> None:
        self._close()

    # -- the store -----------------------------------------------------------------------

    def _open(self) -> None:
        from ..store import open_store

        try:
            identity = _identity(self.file)
        except OSError:
            identity = None  # opening says what is wrong; a file that appears is reopened
        self.store = open_store(self.db_url, read_only=True, frameworks=self.frameworks)
        self.identity = identity

    def _close(self) -> None:
        store, self.store, self.identity = self.store, None, None
        if store is not None:
            try:
                store.close()
            except Exception:  # a store that broke is closed as far as it can be
                pass

    def _token(self) -> str:
        if self.store is not None and _identity(self.file) != self.identity:
            self._close()  # the file was replaced: read the one now at the path
        if self.store is None:
            self._open()
        return self.store.last_change(self.name)

    # -- saying what happens -------------------------------------------------------------

    def _failed(self, what: str, exc: BaseException) -> None:
        if what != self.problem:  # said once, until it recovers or another problem comes
            self.log(f"{what} ({_describe(exc)}); trying again, the published site is unchanged")
            if self.verbose:
                self.log("".join(traceback.format_exception(exc)).rstrip())
        self.problem = what

    def _recovered(self) -> None:
        if self.problem is not None:
            self.problem = None
            self.log("recovered: the store can be read and the published site is up to date")


def _describe(exc: BaseException) -> str:
    """One line: a workbook problem's own words, else the error's kind and message."""
    from ..errors import WorkbookError

    if isinstance(exc, WorkbookError) and exc.problems:
        text = "; ".join(str(p) for p in exc.problems)
    elif isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


def _sqlite_file(db_url: str) -> Path | None:
    """The file of a SQLite store's URL; None for other stores (and URLs that do not parse:
    opening the store says what is wrong with them)."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(str(db_url))
    except Exception:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def _identity(file: Path | None) -> tuple | None:
    """Which file is at the path now (device and inode); OSError if there is none."""
    if file is None:
        return None
    st = os.stat(file)
    return (st.st_dev, st.st_ino)
