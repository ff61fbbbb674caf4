"""The quality lead's review: the dip sample of complete cases and the counts of queries, plus
the case-work lookups the review shares with the second rating (:mod:`.second`).

- A dip sample is drawn from the complete cases (signed off, not yet quality assured, not drawn
  before): at least ``per_inspector`` of each inspector's (the person the case is allocated to)
  where they have that many, the rest spread across LDUs, up to ``size`` cases in all (more
  when the minimum per inspector asks for more). The draw is seeded: the same seed on the same
  cases draws the same sample. Each case drawn is marked (``case_work.dip_sample``) and
  recorded in the history (entity ``dip_sample``, the seed in ``new``).
- Query counts: open, answered and resolved queries per inspector and standard (a query on the
  whole case counts under the standard ``(case)``).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..framework import Framework
from ..judgements import unknown_case
from ..reasons import Reason
from . import history
from .names import shown
from .schema import CaseRow, CaseWorkRow, HistoryRow, QueryRow
from .values import dumps, now

CASE_STANDARD = "(case)"  # the standard a query on a whole case is counted under
NOT_ALLOCATED = "(not allocated)"  # the inspector of a case nobody has
QUERY_STATES = ("open", "answered", "resolved")
QUERY_COUNT_COLUMNS = ["inspector", "standard", *QUERY_STATES]

# -- case work, shared with the second rating --------------------------------------------------


def require_case(conn: Connection, iid: int, name: str, case_id: str) -> None:
    """Raise ``unknown_case`` when the inspection has no case ``case_id``."""
    c = CaseRow.__table__
    found = conn.execute(
        select(c.c.id).where(c.c.inspection_id == iid, c.c.case_id == case_id)
    ).first()
    if found is None:
        raise StoreError(unknown_case(case_id, name))


def case_work_row(conn: Connection, iid: int, case_id: str, lock: bool = False) -> Any:
    """The case's ``case_work`` row, or None when the case has no team data yet.

    ``lock`` takes the row for update (PostgreSQL; SQLite's write transaction holds the file).
    """
    w = CaseWorkRow.__table__
    query = select(w).where(w.c.inspection_id == iid, w.c.case_id == case_id)
    if lock:
        query = query.with_for_update()
    return conn.execute(query).first()


def set_case_work(conn: Connection, iid: int, case_id: str, by: str, at, **values: Any) -> None:
    """Set ``values`` on the case's ``case_work`` row, making the row when there is none."""
    w = CaseWorkRow.__table__
    if case_work_row(conn, iid, case_id) is None:
        conn.execute(
            w.insert().values(
                inspection_id=iid,
                case_id=case_id,
                probe=False,
                dip_sample=False,
                updated_by=by,
                updated_at=at,
                **values,
            )
        )
        return
    conn.execute(
        update(w)
        .where(w.c.inspection_id == iid, w.c.case_id == case_id)
        .values(updated_by=by, updated_at=at, **values)
    )


def case_locked(case_id: str, row: Any, action: str) -> Problem | None:
    """The problem of ``action`` on a locked case, or None when the case is not locked."""
    if row is None or row.status != "locked":
        return None
    return Problem(
        Reason.CASE_LOCKED,
        f"case {shown(case_id)} is locked for rating, so nobody may {action} it. The lead "
        "inspector reopens it, with a reason, first (python -m workbook reopen).",
        value=shown(case_id),
    )


# -- the dip sample ---------------------------------------------------------------------------


def _is_whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_draw(seed: Any, size: Any, per_inspector: Any) -> None:
    """Raise every problem of a dip sample's seed, size and minimum per inspector at once.

    Raises
    ------
    StoreError
        ``bad_seed`` (not a whole number of 0 or more), ``bad_n`` (size not a whole number of
        1 or more, per_inspector not a whole number of 0 or more).
    """
    problems = []
    if not _is_whole(seed) or seed < 0:
        problems.append(
            Problem(
                Reason.BAD_SEED,
                f"the dip sample's seed '{shown(seed)}' is not a whole number of 0 or more.",
                place="seed",
                value=shown(seed),
                allowed="a whole number such as 7; it is recorded so the draw can be repeated",
            )
        )
    for field, value, least in (("size", size, 1), ("per_inspector", per_inspector, 0)):
        if not _is_whole(value) or value < least:
            problems.append(
                Problem(
                    Reason.BAD_N,
                    f"the dip sample's {field} '{shown(value)}' is not a whole number of "
                    f"{least} or more.",
                    place=field,
                    value=shown(value),
                    allowed=f"a whole number of {least} or more",
                )
            )
    if problems:
        raise StoreError(problems)


def pick_dip_sample(
    candidates: list[tuple[str, str | None, str | None]], seed: int, size: int, per_inspector: int
) -> list[str]:
    """Return the case ids drawn from ``candidates`` (case_id, inspector, LDU; in case order).

    At least ``per_inspector`` of each inspector's cases where they have that many, then the
    rest up to ``size``, each time from an LDU with the fewest cases drawn so far (ties broken
    by the seeded order). The same arguments give the same sample.
    """
    rng = random.Random(seed)
    by_person: dict[str, list[str]] = {}
    ldu_of = {}
    for case_id, person, ldu in candidates:
        by_person.setdefault(person or "", []).append(case_id)
        ldu_of[case_id] = ldu or ""
    chosen: list[str] = []
    for person in sorted(by_person):
        cases = list(by_person[person])
        rng.shuffle(cases)
        chosen += cases[:per_inspector]
    taken = set(chosen)
    rest = [c for c, _, _ in candidates if c not in taken]
    rng.shuffle(rest)
    drawn = Counter(ldu_of[c] for c in chosen)
    while len(chosen) < size and rest:
        best = min(range(len(rest)), key=lambda i: (drawn[ldu_of[rest[i]]], i))
        case_id = rest.pop(best)
        drawn[ldu_of[case_id]] += 1
        chosen.append(case_id)
    order = {c: i for i, (c, _, _) in enumerate(candidates)}
    return sorted(chosen, key=order.__getitem__)


def dip_candidates(conn: Connection, iid: int) -> list[tuple[str, str | None, str | None]]:
    """The complete cases not drawn yet: (case_id, allocated person, LDU), in case order."""
    w, c = CaseWorkRow.__table__, CaseRow.__table__
    rows = conn.execute(
        select(w.c.case_id, w.c.allocated_to, c.c.ldu)
        .join(c, (c.c.inspection_id == w.c.inspection_id) & (c.c.case_id == w.c.case_id))
        .where(w.c.inspection_id == iid, w.c.status == "complete", w.c.dip_sample.is_(False))
        .order_by(c.c.position, c.c.id)
    ).all()
    return [(r.case_id, r.allocated_to, r.ldu) for r in rows]


def draw_in(
    conn: Connection, iid: int, by: str, seed: int, size: int, per_inspector: int
) -> list[str]:
    """Draw the dip sample in the open write transaction, mark the cases and record them."""
    picked = pick_dip_sample(dip_candidates(conn, iid), seed, size, per_inspector)
    at = now()
    drawn = dumps({"seed": int(seed), "size": int(size), "per_inspector": int(per_inspector)})
    rows = []
    for case_id in picked:
        set_case_work(conn, iid, case_id, by, at, dip_sample=True)
        rows.append(
            history.history_row(
                iid,
                "dip_sample",
                case_id,
                old=None,
                new=drawn,
                by=by,
                at=at,
                case_id=case_id,
                reason=f"seed {int(seed)}",
            )
        )
    if rows:
        conn.execute(HistoryRow.__table__.insert(), rows)
    return picked


def dip_sample(conn: Connection, iid: int) -> list[str]:
    """The cases of the dip sample (every draw), in case order."""
    w, c = CaseWorkRow.__table__, CaseRow.__table__
    rows = conn.execute(
        select(w.c.case_id)
        .join(c, (c.c.inspection_id == w.c.inspection_id) & (c.c.case_id == w.c.case_id))
        .where(w.c.inspection_id == iid, w.c.dip_sample.is_(True))
        .order_by(c.c.position, c.c.id)
    ).all()
    return [r.case_id for r in rows]


# -- query counts -----------------------------------------------------------------------------


def _standard_of(framework: Framework, question: str | None) -> str:
    if question is None:
        return CASE_STANDARD
    if framework.has_key_question(question):
        return framework.key_question(question).standard_id
    return question


def query_counts(conn: Connection, iid: int, framework: Framework) -> pd.DataFrame:
    """Open, answered and resolved queries per inspector (the case's allocated person) and
    standard (a query on the whole case: ``(case)``); columns :data:`QUERY_COUNT_COLUMNS`."""
    q, w = QueryRow.__table__, CaseWorkRow.__table__
    rows = conn.execute(
        select(q.c.question, q.c.state, w.c.allocated_to)
        .select_from(
            q.outerjoin(w, (w.c.inspection_id == q.c.inspection_id) & (w.c.case_id == q.c.case_id))
        )
        .where(q.c.inspection_id == iid)
    ).all()
    counts: dict[tuple[str, str], Counter] = {}
    for question, state, person in rows:
        key = (person or NOT_ALLOCATED, _standard_of(framework, question))
        counts.setdefault(key, Counter())[state] += 1
    records = [
        (person, standard, *(int(found[s]) for s in QUERY_STATES))
        for (person, standard), found in sorted(counts.items())
    ]
    frame = pd.DataFrame(records, columns=QUERY_COUNT_COLUMNS)
    return frame.astype({s: "int64" for s in QUERY_STATES})
