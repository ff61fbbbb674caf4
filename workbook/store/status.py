"""A case's place in the team's work: its allocation, its status, sign-off, quality assurance,
locking and reopening, and the "probe further" flag (table ``case_work``).

A case's status is one of :data:`workbook.store.team.STATUSES`. *Not started* and *in
progress* are read from its answers (any answer saved: in progress); *complete*, *quality
assured* and *locked* are stored, each set by one step:

- ``sign_off``: the allocated person (or a lead inspector), once every applicable key question
  is answered ("not applicable" counts as answered) -> complete;
- ``quality_assure``: a quality lead or lead inspector, on a complete case with no open
  query -> quality assured;
- ``lock``: a lead inspector, complete or quality assured -> locked;
- ``reopen``: a lead inspector, with a reason: locked -> the status before the lock.

The applicable key questions of a case are those of
``framework.standards_for_sample(sample)`` answered on its sample (every rated key question
when the case has no ``sample``). Every step appends a history row (entities ``allocation``,
``status``, ``probe``). Without a team nobody's role is checked, as before teams existed.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..framework import Framework
from ..judgements import unknown_case
from ..reasons import Reason
from . import team
from .history import history_row
from .names import shown
from .schema import CaseRow, CaseWorkRow, HistoryRow, JudgementRow, MemberRow, QueryRow
from .values import CaseWork, blank_to_none, utc

W = CaseWorkRow.__table__
ALLOCATABLE = ("inspector", "local_assessor")  # allocate_evenly's people by default


# -- reading -----------------------------------------------------------------------------------


def applicable_questions(framework: Framework, sample: str | None) -> tuple[str, ...]:
    """The key questions a case of ``sample`` answers (every rated one when it has none)."""
    if not sample:
        return tuple(q.id for q in framework.rated_key_questions)
    return tuple(
        q.id
        for s in framework.standards_for_sample(sample)
        for q in s.key_questions
        if q.sample == sample
    )


def _cases(conn: Connection, iid: int, case_id: str | None = None) -> list[Any]:
    c = CaseRow.__table__
    query = select(c.c.case_id, c.c.ldu, c.c.attributes).where(c.c.inspection_id == iid)
    if case_id is not None:
        query = query.where(c.c.case_id == case_id)
    return conn.execute(query.order_by(c.c.position)).all()


def _sample(attributes: str) -> str | None:
    value = json.loads(attributes).get("sample")
    return None if value is None else str(value)


def _answered(conn: Connection, iid: int, case_id: str | None) -> dict[str, set[str]]:
    j = JudgementRow.__table__
    query = select(j.c.case_id, j.c.question).where(
        j.c.inspection_id == iid, j.c.answer.is_not(None)
    )
    if case_id is not None:
        query = query.where(j.c.case_id == case_id)
    found: dict[str, set[str]] = defaultdict(set)
    for cid, question in conn.execute(query):
        found[cid].add(question)
    return found


def _open_queries(conn: Connection, iid: int, case_id: str | None) -> dict[str, int]:
    q = QueryRow.__table__
    query = select(q.c.case_id, func.count()).where(q.c.inspection_id == iid, q.c.state == "open")
    if case_id is not None:
        query = query.where(q.c.case_id == case_id)
    return dict(conn.execute(query.group_by(q.c.case_id)).all())


def _work_rows(conn: Connection, iid: int, case_id: str | None = None) -> dict[str, Any]:
    query = select(W).where(W.c.inspection_id == iid)
    if case_id is not None:
        query = query.where(W.c.case_id == case_id)
    return {r.case_id: r for r in conn.execute(query)}


def _value(case_id, work, answered: set[str], applicable, open_queries: int) -> CaseWork:
    done = len(answered.intersection(applicable))
    status = work.status if work is not None and work.status else None
    if status is None:
        status = "in_progress" if answered else "not_started"
    return CaseWork(
        case_id,
        work.allocated_to if work is not None else None,
        work.second_rater if work is not None else None,
        status,
        work.status_by if work is not None else None,
        utc(work.status_at) if work is not None else None,
        bool(work.probe) if work is not None else False,
        work.probe_note if work is not None else None,
        bool(work.dip_sample) if work is not None else False,
        done,
        len(applicable),
        open_queries,
    )


def read_case_work(
    conn: Connection, iid: int, framework: Framework, case_id: str | None = None
) -> dict[str, CaseWork]:
    """Every case's (or one case's) work, in import order, its status derived from its answers."""
    works = _work_rows(conn, iid, case_id)
    answered = _answered(conn, iid, case_id)
    queries = _open_queries(conn, iid, case_id)
    applicable: dict[str | None, tuple[str, ...]] = {}
    out = {}
    for cid, _ldu, attributes in _cases(conn, iid, case_id):
        sample = _sample(attributes)
        if sample not in applicable:
            applicable[sample] = applicable_questions(framework, sample)
        out[cid] = _value(
            cid, works.get(cid), answered.get(cid, set()), applicable[sample], queries.get(cid, 0)
        )
    return out


def one_case(conn: Connection, iid: int, name: str, framework: Framework, case_id: str) -> CaseWork:
    """The case's work.

    Raises
    ------
    StoreError
        ``unknown_case``.
    """
    found = read_case_work(conn, iid, framework, case_id).get(case_id)
    if found is None:
        raise StoreError(unknown_case(case_id, name))
    return found


def locked(conn: Connection, iid: int) -> list[str]:
    """The locked cases' ids, in import order."""
    c = CaseRow.__table__
    rows = conn.execute(
        select(W.c.case_id)
        .join(c, (c.c.inspection_id == W.c.inspection_id) & (c.c.case_id == W.c.case_id))
        .where(W.c.inspection_id == iid, W.c.status == "locked")
        .order_by(c.c.position)
    )
    return [r[0] for r in rows]


# -- writing one case's row --------------------------------------------------------------------


def set_work(conn: Connection, iid: int, case_id: str, by: str, at, **values: Any) -> None:
    """Set columns of the case's ``case_work`` row, adding the row when it is not there."""
    found = conn.execute(
        select(W.c.id).where(W.c.inspection_id == iid, W.c.case_id == case_id)
    ).scalar()
    if found is None:
        row = {"probe": False, "dip_sample": False, **values}
        conn.execute(
            W.insert().values(
                inspection_id=iid, case_id=case_id, updated_by=by, updated_at=at, **row
            )
        )
    else:
        conn.execute(
            W.update().where(W.c.id == found).values(updated_by=by, updated_at=at, **values)
        )


def _history(iid: int, entity: str, case_id: str, old, new, by: str, at, **more) -> dict:
    return history_row(
        iid, entity, case_id, old=old, new=new, by=by, at=at, case_id=case_id, **more
    )


def _append(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(HistoryRow.__table__.insert(), rows)


# -- allocation --------------------------------------------------------------------------------


def _check_allocatable(conn: Connection, iid: int, name: str, person: str) -> None:
    if not team.has_team(conn, iid):
        return
    role = team.role_of(conn, iid, person)
    if role is None:
        raise StoreError(team.not_a_member(conn, iid, name, person))
    if role not in team.ANSWERING:
        raise StoreError(
            Problem(
                Reason.ROLE_NOT_ALLOWED,
                f"{shown(person)} is a {team.label(role)} in this team, and cases are allocated "
                "only to an inspector, local assessor or lead inspector.",
                value=team.label(role),
                allowed="inspector, local assessor, lead inspector",
            )
        )


def record_allocations(
    conn: Connection, iid: int, allocations: dict[str, str | None], by: str, at
) -> None:
    """Allocate each case to its person (None: unallocated), recording each change."""
    works = _work_rows(conn, iid)
    rows = []
    for case_id, person in allocations.items():
        old = works[case_id].allocated_to if case_id in works else None
        if old == person:
            continue
        set_work(conn, iid, case_id, by, at, allocated_to=person)
        rows.append(_history(iid, "allocation", case_id, old, person, by, at))
    _append(conn, rows)


def allocate_in(
    conn: Connection, iid: int, name: str, case_id: str, person: str | None, by: str, at
) -> None:
    """Allocate one case to ``person`` (None: take the allocation back), as a lead inspector.

    Raises
    ------
    StoreError
        ``not_a_member``, ``role_not_allowed`` (``by`` not a lead inspector, or ``person`` in
        a role that answers no cases), ``unknown_case``.
    """
    team.require_role(conn, iid, name, by, team.LEADING, "allocate cases")
    if not _cases(conn, iid, case_id):
        raise StoreError(unknown_case(case_id, name))
    if person is not None:
        _check_allocatable(conn, iid, name, person)
    record_allocations(conn, iid, {case_id: person}, by, at)


def _people(conn: Connection, iid: int, name: str, people) -> list[str]:
    if people is None:
        m = MemberRow.__table__
        people = conn.execute(
            select(m.c.person)
            .where(m.c.inspection_id == iid, m.c.role.in_(ALLOCATABLE))
            .order_by(m.c.id)
        ).scalars()
    chosen = list(dict.fromkeys(team.check_person(p) for p in people))
    if not chosen:
        raise StoreError(
            Problem(
                Reason.EMPTY_VALUE,
                f"there is nobody to allocate the cases of inspection '{shown(name)}' to: add "
                "inspectors or local assessors to the team, or name the people.",
                column="people",
            )
        )
    for person in chosen:
        _check_allocatable(conn, iid, name, person)
    return sorted(chosen)


def allocate_evenly_in(
    conn: Connection, iid: int, name: str, by: str, seed: int, people, at
) -> dict[str, list[str]]:
    """Allocate every case that no member of the team answers, spread evenly within each
    (sample, LDU): a case not allocated yet, or allocated to someone who is not an inspector,
    local assessor or lead inspector of the team (a case list's ``inspector`` column names
    people before the team is formed; reallocating those cases is recorded).

    The people are shuffled with ``seed`` and dealt the cases of each group (shuffled with the
    same generator) in turn, the turn carried from one group to the next: each person's count
    differs from another's by at most one overall and within each group. The same seed, cases
    and people give the same allocation.

    Raises
    ------
    StoreError
        ``not_a_member``, ``role_not_allowed``, ``empty_value`` (nobody to allocate to).
    """
    team.require_role(conn, iid, name, by, team.LEADING, "allocate cases")
    chosen = _people(conn, iid, name, people)
    works = _work_rows(conn, iid)
    m = MemberRow.__table__
    answering = set(
        conn.execute(
            select(m.c.person).where(m.c.inspection_id == iid, m.c.role.in_(team.ANSWERING))
        ).scalars()
    )
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, ldu, attributes in _cases(conn, iid):
        if cid in works and works[cid].allocated_to in answering:
            continue
        groups[(_sample(attributes) or "", ldu or "")].append(cid)
    rng = random.Random(seed)
    rng.shuffle(chosen)
    out: dict[str, list[str]] = {p: [] for p in chosen}
    allocations: dict[str, str | None] = {}
    turn = 0
    for key in sorted(groups):
        cases = groups[key]
        rng.shuffle(cases)
        for cid in cases:
            person = chosen[turn % len(chosen)]
            out[person].append(cid)
            allocations[cid] = person
            turn += 1
    record_allocations(conn, iid, allocations, by, at)
    return out


# -- status ------------------------------------------------------------------------------------


def _bad_step(case_id: str, status: str, step: str, allowed: str) -> Problem:
    return Problem(
        Reason.BAD_STATUS_CHANGE,
        f"{shown(case_id)} is {team.label(status)}, so it cannot be {step}: only a case that "
        f"is {allowed} can.",
        value=team.label(status),
        allowed=allowed,
    )


def sign_off_in(
    conn: Connection, iid: int, name: str, framework: Framework, case_id: str, by: str, at
) -> None:
    """Sign the case off as complete.

    Raises
    ------
    StoreError
        ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``not_allocated``,
        ``bad_status_change`` (already signed off), ``case_not_complete`` (naming the key
        questions not answered).
    """
    work = one_case(conn, iid, name, framework, case_id)
    team.require_case_person(conn, iid, name, case_id, work.allocated_to, by, "sign it off")
    if work.status in team.SIGNED:
        raise StoreError(
            _bad_step(case_id, work.status, "signed off", "not started or in progress")
        )
    (sample,) = [_sample(a) for _c, _l, a in _cases(conn, iid, case_id)]
    answered = _answered(conn, iid, case_id).get(case_id, set())
    missing = [q for q in applicable_questions(framework, sample) if q not in answered]
    if missing:
        raise StoreError(
            Problem(
                Reason.CASE_NOT_COMPLETE,
                f"{shown(case_id)} cannot be signed off: {len(missing)} applicable key "
                f"question{'s are' if len(missing) > 1 else ' is'} not answered yet "
                f"({', '.join(missing)}). Answer each (not applicable counts as an answer).",
                value=", ".join(missing),
            )
        )
    _set_status(conn, iid, case_id, work.status, "complete", by, at)


def _set_status(conn, iid, case_id, old, new, by, at, reason=None, **more) -> None:
    set_work(conn, iid, case_id, by, at, status=new, status_by=by, status_at=at, **more)
    _append(conn, [_history(iid, "status", case_id, old, new, by, at, reason=reason)])


def quality_assure_in(
    conn: Connection, iid: int, name: str, framework: Framework, case_id: str, by: str, at
) -> None:
    """Mark a complete case quality assured (a quality lead or lead inspector).

    Raises
    ------
    StoreError
        ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``bad_status_change`` (the
        case is not complete, or has an open query).
    """
    team.require_role(conn, iid, name, by, team.REVIEWING, "quality assure a case")
    work = one_case(conn, iid, name, framework, case_id)
    if work.status != "complete":
        raise StoreError(_bad_step(case_id, work.status, "quality assured", "complete"))
    if work.open_queries:
        raise StoreError(
            Problem(
                Reason.BAD_STATUS_CHANGE,
                f"{shown(case_id)} has {work.open_queries} open "
                f"quer{'ies' if work.open_queries > 1 else 'y'}, so it cannot be quality assured "
                "yet: wait for the inspector's answer, or resolve the query.",
                value=work.open_queries,
            )
        )
    _set_status(conn, iid, case_id, work.status, "quality_assured", by, at)


def lock_in(
    conn: Connection,
    iid: int,
    name: str,
    framework: Framework,
    case_id: str,
    by: str,
    at,
    reason: str | None = None,
) -> None:
    """Lock a complete or quality-assured case for rating (a lead inspector).

    Raises
    ------
    StoreError
        ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``bad_status_change``.
    """
    team.require_role(conn, iid, name, by, team.LEADING, "lock a case")
    work = one_case(conn, iid, name, framework, case_id)
    if work.status not in ("complete", "quality_assured"):
        raise StoreError(_bad_step(case_id, work.status, "locked", "complete or quality assured"))
    _set_status(
        conn,
        iid,
        case_id,
        work.status,
        "locked",
        by,
        at,
        blank_to_none(reason),
        status_before_lock=work.status,
    )


def reason_required(what: str) -> Problem:
    """The problem of a step that needs a reason and was given none."""
    return Problem(
        Reason.REASON_REQUIRED,
        f"{what} needs a reason, kept in the history: give one (reason=, or --reason).",
        column="reason",
    )


def reopen_in(
    conn: Connection,
    iid: int,
    name: str,
    framework: Framework,
    case_id: str,
    by: str,
    reason: str | None,
    at,
) -> None:
    """Reopen a locked case (a lead inspector, with a reason): back to its status before.

    Raises
    ------
    StoreError
        ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``reason_required``,
        ``bad_status_change`` (the case is not locked).
    """
    team.require_role(conn, iid, name, by, team.LEADING, "reopen a case")
    reason = blank_to_none(reason)
    if reason is None:
        raise StoreError(reason_required(f"Reopening {shown(case_id)}"))
    work = one_case(conn, iid, name, framework, case_id)
    if work.status != "locked":
        raise StoreError(_bad_step(case_id, work.status, "reopened", "locked"))
    before = conn.execute(
        select(W.c.status_before_lock).where(W.c.inspection_id == iid, W.c.case_id == case_id)
    ).scalar()
    _set_status(
        conn, iid, case_id, "locked", before or "complete", by, at, reason, status_before_lock=None
    )


def flag_probe_in(
    conn: Connection,
    iid: int,
    name: str,
    framework: Framework,
    case_id: str,
    by: str,
    note: str | None,
    on: bool,
    at,
) -> None:
    """Flag the case "probe further" with a note (``on`` False takes the flag down).

    Raises
    ------
    StoreError
        ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``not_allocated`` (only the
        allocated person, a quality lead or a lead inspector flags a case).
    """
    work = one_case(conn, iid, name, framework, case_id)
    team.require_case_person(
        conn, iid, name, case_id, work.allocated_to, by, "flag it", also=team.REVIEWING
    )
    note = blank_to_none(note) if on else None
    if work.probe == bool(on) and work.probe_note == note:
        return
    set_work(conn, iid, case_id, by, at, probe=bool(on), probe_note=note)
    _append(
        conn,
        [
            _history(
                iid,
                "probe",
                case_id,
                "on" if work.probe else "off",
                "on" if on else "off",
                by,
                at,
                old_note=work.probe_note,
                new_note=note,
            )
        ],
    )
