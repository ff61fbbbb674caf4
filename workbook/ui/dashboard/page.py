"""``DashboardPage``: the stakeholders' dashboard, read-only and aggregate-only.

Built from the dashboard's snapshot (:mod:`workbook.ui.dashboard.snapshot`): HTML fragments
rendered beforehand from figures already aggregated and suppressed. It holds no store, no
figure table and no case, so nothing on it can write a judgement or show a single case, and a
visit's kernel needs neither pandas nor Altair. Given the snapshot's file, the page watches it
while an event loop runs (in a kernel) and shows a newer snapshot as soon as it is written, so
an open page, and a kernel waiting in Voilà's pool, follow the inspection.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import ipywidgets as widgets

from .explorer import LduExplorer
from .snapshot import SECTIONS, SnapshotError, read_snapshot

FRAGMENTS = tuple(name for name in SECTIONS if name != "explorer")


class DashboardPage(widgets.VBox):
    """The dashboard's sections in the order the static site shows them (:data:`SECTIONS`):
    summary of ratings, the method, Annex 2, the heatmap, the LDU explorer and the sample."""

    def __init__(self, snapshot: dict, source: Path | None = None, every: float = 2.0, **kwargs):
        super().__init__(**kwargs)
        self.snapshot = snapshot
        for name in FRAGMENTS:
            setattr(self, name, widgets.HTML(self._fragment(snapshot, name)))
        self.explorer = LduExplorer(snapshot)
        self.children = [getattr(self, name) for name in SECTIONS]
        self.add_class("wb-dashboard")
        self.source = Path(source) if source is not None else None
        self.every = every
        self._seen = self._stamp()
        if self.source is not None:
            self._follow()

    def show(self, snapshot: dict) -> None:
        """Show ``snapshot`` in place of the one shown (a visitor's picks are kept)."""
        if snapshot.get("token") == self.snapshot.get("token"):
            return
        self.snapshot = snapshot
        with self.hold_trait_notifications():
            for name in FRAGMENTS:
                getattr(self, name).value = self._fragment(snapshot, name)
        self.explorer.show(snapshot)

    @staticmethod
    def _fragment(snapshot: dict, name: str) -> str:
        """A section's HTML; the first carries the one stylesheet."""
        return snapshot["style"] + snapshot[name] if name == FRAGMENTS[0] else snapshot[name]

    def refresh(self) -> bool:
        """Show the snapshot file's content if it changed since last looked at; True if a
        newer snapshot is now shown. A file that cannot be used leaves the page as it is."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return False
        self._seen = stamp
        try:
            snapshot = read_snapshot(
                self.source, self.snapshot["inspection"], self.snapshot["suppression"]
            )
        except SnapshotError:
            return False
        before = self.snapshot.get("token")
        self.show(snapshot)
        return snapshot.get("token") != before

    def _stamp(self):
        if self.source is None:
            return None
        try:
            st = os.stat(self.source)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _follow(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a script, a test): refresh() by hand

        def tick():
            self.refresh()
            loop.call_later(self.every, tick)

        loop.call_later(self.every, tick)
