"""Decisions: a standard's rating set by the inspectors (domain one, or professional discretion).

A decision is accepted by :func:`workbook.judgements.check_decision` (a rating is matched
ignoring case, spaces and punctuation: ``requires-improvement`` is *Requires improvement*);
whether a save writes is :func:`workbook.store.saving.plan_save`, as for judgements. A decision
read back whose standard or rating the framework does not know (the store was changed outside
the workbook) is refused by :func:`check_stored`, as a stored answer is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..framework import Framework
from ..judgements import check_decision
from ..reasons import Reason
from . import history
from .names import shown
from .saving import conflict, plan_save
from .schema import DecisionRow, HistoryRow
from .values import StoredDecision, blank_to_none, now, utc

Checked = tuple[str, str | None, str, str]  # standard, canonical rating, reason, inspector


def check(
    framework: Framework,
    standard: Any,
    rating: Any,
    reason: Any,
    inspector: str | None,
    *,
    file: str | None = None,
    row: int | None = None,
) -> Checked:
    """Return (standard, canonical rating, reason, inspector); raise every problem at once.

    Raises
    ------
    StoreError
        ``no_inspector``, ``unknown_standard``, ``unknown_rating``, ``missing_rating``,
        ``missing_reason``.
    """
    standard, reason, inspector = (
        str(standard).strip(),
        (reason or "").strip(),
        blank_to_none(inspector),
    )
    problems = []
    if inspector is None:
        problems.append(
            Problem(
                Reason.NO_INSPECTOR,
                "the inspector's name is empty.",
                file=file,
                row=row,
                column="inspector",
            )
        )
    canonical, found = check_decision(framework, standard, rating, reason, file=file, row=row)
    problems += found
    if problems:
        raise StoreError(problems)
    return standard, canonical, reason, inspector


def check_rows(
    framework: Framework, rows, inspector: str, file: str = "decisions"
) -> list[Checked]:
    """Check rows of (standard, rating, reason[, inspector]); every problem raised at once."""
    checked, problems = [], []
    for number, row in enumerate(rows, start=1):
        row = tuple(row)
        who = row[3] if len(row) > 3 else inspector
        reason = row[2] if len(row) > 2 else ""
        try:
            checked.append(check(framework, row[0], row[1], reason, who, file=file, row=number))
        except StoreError as exc:
            problems += exc.problems
    if problems:
        raise StoreError(problems)
    return checked


def _stored(row: Any, changed: bool = True) -> StoredDecision:
    return StoredDecision(
        row.standard, row.rating, row.reason, row.inspector, utc(row.saved_at), row.version, changed
    )


def save_decision_in(
    conn: Connection,
    iid: int,
    standard: str,
    rating: str | None,
    reason: str,
    inspector: str,
    expect_version: int | None,
) -> StoredDecision:
    """Save a checked decision in the open write transaction ``conn``."""
    d = DecisionRow.__table__
    current = conn.execute(
        select(d).where(d.c.inspection_id == iid, d.c.standard == standard).with_for_update()
    ).first()
    previous = _stored(current) if current is not None else None
    version = plan_save(
        None if previous is None else (previous.rating, previous.reason, previous.version),
        rating,
        reason,
        expect_version=expect_version,
        on_conflict=lambda found: conflict(
            f"standard {standard}", "rating", previous, found, expect_version
        ),
    )
    if version is None:
        if previous is None:  # withdrawing nothing
            return StoredDecision(standard, None, reason, inspector, now(), 0, False)
        return _stored(current, changed=False)
    at = now()
    values = dict(rating=rating, reason=reason, inspector=inspector, saved_at=at, version=version)
    if current is None:
        conn.execute(d.insert().values(inspection_id=iid, standard=standard, **values))
    else:
        conn.execute(d.update().where(d.c.id == current.id).values(**values))
    conn.execute(
        HistoryRow.__table__.insert().values(
            history.decision_changed(
                iid, previous, standard, rating, reason, inspector, at, version
            )
        )
    )
    return StoredDecision(standard, rating, reason, inspector, at, version, True)


def stored_decisions(conn: Connection, iid: int) -> dict[str, StoredDecision]:
    """Return every decision by standard, withdrawn ones included (rating None)."""
    d = DecisionRow.__table__
    rows = conn.execute(select(d).where(d.c.inspection_id == iid).order_by(d.c.standard)).all()
    return {r.standard: _stored(r, changed=False) for r in rows}


def _bad_stored(name: str, framework: Framework, standard: Any, rating: Any) -> Problem | None:
    """The problem with one stored decision, or None when the framework knows it."""
    if not framework.has_standard(standard):
        what, column, value = "is for a standard the framework does not have", "standard", standard
    elif rating is not None and rating not in framework.ratings:
        what, column, value = (
            f"has the rating '{shown(rating)}', which is not a rating",
            "rating",
            rating,
        )
    else:
        return None
    return Problem(
        Reason.BAD_STORED_VALUE,
        f"inspection '{shown(name)}', standard {shown(standard)}: the stored decision {what}; "
        "nothing was read. The store was changed outside the workbook: set the decision again "
        "in the inspectors' workbook or restore a backup.",
        column=column,
        value=shown(value),
        allowed=", ".join(framework.ratings) + " for a standard of the framework (or withdrawn)",
    )


def check_stored(framework: Framework, name: str, decisions: Iterable[tuple[Any, Any]]) -> None:
    """Raise when a decision read from the store is not one the framework knows.

    Parameters
    ----------
    framework
        The framework the inspection is pinned to.
    name
        The inspection's name, quoted in the message.
    decisions
        (standard, rating) of each decision as read (rating None: withdrawn).

    Raises
    ------
    StoreError
        ``bad_stored_value`` naming the standard of each bad decision (at most 20): a standard
        the framework does not have, or a rating that is not one of its ratings.
    """
    problems = []
    for standard, rating in decisions:
        problem = _bad_stored(name, framework, standard, rating)
        if problem is not None:
            problems.append(problem)
            if len(problems) == 20:
                break
    if problems:
        raise StoreError(problems)
