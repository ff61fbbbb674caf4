"""Snapshots of the small dashboard inspection of ``tests.app.test_dashboard``, for the
widgets' tests (the widgets take a snapshot, never figures or a store)."""

from __future__ import annotations

import copy
from functools import cache

from tests.app.test_dashboard import _figures
from workbook.render.snapshot import build_snapshot

NAME = "small-dashboard"


def snapshot_of(framework, figures, token: str = "1:1:1", name: str = NAME) -> dict:
    """The snapshot of ``figures``, as the dashboard server renders it."""
    return build_snapshot(
        framework, figures, inspection=name, token=token, suppression=figures.suppress_below
    )


@cache
def _small(suppress_below: int) -> dict:
    framework, figures = _figures(suppress_below=suppress_below)
    return snapshot_of(framework, figures)


def small_snapshot(token: str = "1:1:1", suppress_below: int = 5) -> dict:
    """The snapshot of the small inspection (three LDUs, one of them under the threshold),
    rendered once per test session; each call gives a copy of its own."""
    snapshot = copy.deepcopy(_small(suppress_below))
    snapshot["token"] = token
    return snapshot
