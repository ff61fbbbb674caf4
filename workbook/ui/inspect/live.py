"""LiveFollower: colleagues' saves reach the page without a click.

The follower polls a :class:`workbook.store.changes.ChangeFeed` every ``interval`` seconds
(0.5 s) on the kernel's asyncio event loop: the loop JupyterLab's and Voilà's kernels run the
widgets on, so the callbacks may update widgets directly. When nothing changed a poll costs
the feed's check (no query, well under a millisecond), so following never makes the page
slow; when something changed, one query reads the new history rows and each registered
callback is called with them, oldest first.

Wiring (the page does it once)::

    follower = LiveFollower.open(store, name)  # the follower owns its feed
    follower.on_change(board.apply_changes)
    follower.on_change(navigator.apply_changes)
    follower.on_change(lambda entries: form.apply_changes(entries, me))
    follower.start()  # inside a kernel; without an event loop, call check() yourself
    ...
    follower.close()  # stops polling and closes the feed

- Every new entry is passed, this kernel's own saves included (the feed cannot tell them
  apart): skipping them is the callbacks' business (``entry.by``), and the ratings board's
  update is idempotent for a save it already took in.
- A callback that raises is logged and the others are still called; it stays registered.
- A store that cannot be read (the database restarted, the network down) is logged, kept as
  :attr:`LiveFollower.problem` and retried, less often while it fails (``retry_after``
  doubling up to ``retry_most``); nothing is lost, since the feed reads by history id.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from ...errors import StoreError
from ...store.changes import ChangeFeed
from ...store.values import HistoryEntry

log = logging.getLogger(__name__)

Callback = Callable[[list[HistoryEntry]], Any]


class LiveFollower:
    """Poll a change feed on the event loop and pass new history entries to callbacks.

    Parameters
    ----------
    feed
        A :class:`~workbook.store.changes.ChangeFeed` (or anything with ``changed()``,
        ``read()`` and ``close()``).
    interval
        Seconds between two polls while the store answers.
    retry_after, retry_most
        Seconds before the first retry after a failure, and the longest wait between retries
        (the wait doubles with each failure in a row).
    owns_feed
        Close the feed when the follower closes (True when made by :meth:`open`).
    """

    def __init__(
        self,
        feed: ChangeFeed,
        interval: float = 0.5,
        retry_after: float = 1.0,
        retry_most: float = 30.0,
        owns_feed: bool = False,
    ):
        self.feed = feed
        self.interval = interval
        self.retry_after = retry_after
        self.retry_most = retry_most
        self.owns_feed = owns_feed
        self.problem: StoreError | None = None  # the last failure to read the store, if any
        self.failures = 0  # failures in a row
        self.checks = 0  # polls made
        self.delivered = 0  # entries passed to the callbacks
        self.last_delivery: float | None = None  # time.monotonic() of the last delivery
        self._callbacks: list[Callback] = []
        self._pending = False  # a change seen but not read yet (the read failed)
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    @classmethod
    def open(cls, store, name: str, **kwargs) -> LiveFollower:
        """Return a follower of inspection ``name`` with a feed of its own (closed with it).

        Raises
        ------
        StoreError
            When the store cannot be reached or the inspection does not exist.
        """
        return cls(ChangeFeed(store, name), owns_feed=True, **kwargs)

    # -- callbacks -----------------------------------------------------------------------------

    def on_change(self, callback: Callback) -> Callback:
        """Call ``callback(entries)`` with each batch of new entries (oldest first); returns it,
        so it can be used as a decorator."""
        self._callbacks.append(callback)
        return callback

    def remove(self, callback: Callback) -> None:
        """Stop calling ``callback`` (nothing happens if it was not registered)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    # -- polling -------------------------------------------------------------------------------

    def check(self) -> list[HistoryEntry]:
        """Poll once: when the feed has new entries, pass them to every callback.

        Never raises: a store that cannot be read is logged and kept as :attr:`problem` (the
        next check tries again), a failing callback is logged.

        Returns
        -------
        list of HistoryEntry
            The entries delivered by this poll (empty when nothing changed).
        """
        if self.closed:
            return []
        self.checks += 1
        try:
            if not (self.feed.changed() or self._pending):
                self._recovered()
                return []
            self._pending = True
            entries = self.feed.read()
            self._pending = False
        except StoreError as exc:
            self._failed(exc)
            return []
        self._recovered()
        if entries:
            self._deliver(entries)
        return entries

    def _failed(self, exc: StoreError) -> None:
        self.failures += 1
        if self.problem is None or self.failures in (1, 10, 100):
            log.warning("following the store's changes failed (retrying): %s", exc)
        self.problem = exc

    def _recovered(self) -> None:
        if self.problem is not None:
            log.info("following the store's changes again")
        self.problem, self.failures = None, 0

    def _deliver(self, entries: list[HistoryEntry]) -> None:
        for callback in list(self._callbacks):
            try:
                callback(entries)
            except Exception:
                log.exception("a listener of the store's changes failed: %r", callback)
        self.delivered += len(entries)
        self.last_delivery = time.monotonic()

    @property
    def next_delay(self) -> float:
        """Seconds to the next poll: ``interval``, or the retry wait while the store fails."""
        if not self.failures:
            return self.interval
        return min(self.retry_most, self.retry_after * 2 ** (self.failures - 1))

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> bool:
        """Poll every :attr:`next_delay` seconds on ``loop`` (default: the running loop).

        Returns
        -------
        bool
            False when there is no event loop to run on (a script or a test outside one: call
            :meth:`check` instead) or the follower is closed; True once polling is scheduled.
        """
        if self.closed:
            return False
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return False
        self.stop()
        self._loop = loop
        self._handle = loop.call_later(self.next_delay, self._tick)
        return True

    @property
    def running(self) -> bool:
        """True while polling is scheduled on an event loop."""
        return self._handle is not None

    def _tick(self) -> None:
        self._handle = None
        if self.closed or self._loop is None:
            return
        try:
            self.check()
        except Exception:  # never stop following for a bug in one poll
            log.exception("a poll of the store's changes failed")
        if not self.closed:
            self._handle = self._loop.call_later(self.next_delay, self._tick)

    def stop(self) -> None:
        """Stop polling (:meth:`start` starts again); the feed stays open."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def close(self) -> None:
        """Stop polling for good, forget the callbacks, close the feed if the follower owns it."""
        self.stop()
        self.closed = True
        self._callbacks.clear()
        if self.owns_feed:
            self.feed.close()
