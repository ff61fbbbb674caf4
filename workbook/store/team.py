"""The team of an inspection: its members and roles, and the one place the team's rules are
looked up inside a transaction.

An inspection without a team is a one-person inspection: anyone may answer any case, as before
teams existed. Once it has a member, the team's rules hold for every write, in the store (not
only in the widgets): only members write, each as their role allows. A person who is not a
member opens the inspection read-only and is told why (:func:`access`).

Roles, canonical (shown with spaces: "local assessor"):

- ``inspector`` and ``local_assessor`` answer the cases allocated to them (a local assessor
  writes like an inspector and is marked so in every table);
- ``quality_lead`` reviews: dip samples, queries, quality assurance; writes no answers;
- ``lead_inspector`` manages the team and the cases (allocation, second raters, locking,
  adjudication, decisions) and answers the cases allocated to them;
- ``viewer`` reads only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..reasons import Reason
from .history import history_row
from .names import shown
from .schema import CaseWorkRow, HistoryRow, MemberRow, QueryRow
from .values import Access, Member, utc

ROLES = ("inspector", "local_assessor", "quality_lead", "lead_inspector", "viewer")
ANSWERING = ("inspector", "local_assessor", "lead_inspector")  # may be allocated cases
REVIEWING = ("quality_lead", "lead_inspector")  # dip samples, queries, quality assurance
LEADING = ("lead_inspector",)
STATUSES = ("not_started", "in_progress", "complete", "quality_assured", "locked")
SIGNED = ("complete", "quality_assured", "locked")  # stored in case_work.status


def label(code: str | None) -> str:
    """A role or status in words: ``quality_assured`` -> ``quality assured``."""
    return "" if code is None else code.replace("_", " ")


def parse_role(value: Any, field: str = "role") -> str:
    """Return the canonical role of ``value`` (case, spaces, hyphens and underscores ignored).

    Raises
    ------
    StoreError
        ``unknown_role``, naming the roles allowed.
    """
    key = re.sub(r"[\s_\-]+", "_", str(value or "").strip().lower())
    if key not in ROLES:
        raise StoreError(
            Problem(
                Reason.UNKNOWN_ROLE,
                f"'{shown(value)}' is not a role of an inspection's team.",
                column=field,
                value=shown(value),
                allowed=", ".join(label(r) for r in ROLES),
            )
        )
    return key


def has_team(conn: Connection, inspection_id: int) -> bool:
    """Whether the inspection has any member (then the team's rules hold)."""
    m = MemberRow.__table__
    return bool(
        conn.execute(
            select(func.count()).select_from(m).where(m.c.inspection_id == inspection_id)
        ).scalar()
    )


def role_of(conn: Connection, inspection_id: int, person: str) -> str | None:
    """The person's role in the inspection's team, or None when they are not a member."""
    m = MemberRow.__table__
    return conn.execute(
        select(m.c.role).where(m.c.inspection_id == inspection_id, m.c.person == person)
    ).scalar()


def members(conn: Connection, inspection_id: int) -> list[Member]:
    """The team, in the order the members were added."""
    m = MemberRow.__table__
    rows = conn.execute(select(m).where(m.c.inspection_id == inspection_id).order_by(m.c.id)).all()
    return [Member(r.person, r.role, r.added_by, utc(r.added_at)) for r in rows]


def _leads(conn: Connection, inspection_id: int) -> list[str]:
    return [p.person for p in members(conn, inspection_id) if p.role in LEADING]


def not_a_member(conn: Connection, inspection_id: int, name: str, person: str) -> Problem:
    """The problem of a person who is not in the team: who to ask."""
    leads = _leads(conn, inspection_id)
    ask = f"ask its lead inspector ({', '.join(leads)})" if leads else "ask its lead inspector"
    return Problem(
        Reason.NOT_A_MEMBER,
        f"{shown(person)} is not a member of the team of inspection '{shown(name)}': the "
        f"inspection is open to them read-only. To take part, {ask} to add them "
        "(python -m workbook team add).",
        value=shown(person),
    )


def role_not_allowed(person: str, role: str, action: str, roles: Iterable[str]) -> Problem:
    """The problem of a member whose role may not do ``action`` ("allocate cases")."""
    who = " or ".join(label(r) for r in roles)
    return Problem(
        Reason.ROLE_NOT_ALLOWED,
        f"{shown(person)} is a {label(role)} in this team, and only a {who} may {action}.",
        value=label(role),
        allowed=who,
    )


def require_role(
    conn: Connection,
    inspection_id: int,
    name: str,
    person: str,
    roles: Iterable[str],
    action: str,
) -> str | None:
    """Return the person's role when it is one of ``roles``; None when the inspection has no
    team (nobody's role is checked then).

    Raises
    ------
    StoreError
        ``not_a_member`` or ``role_not_allowed`` (naming ``action`` and the roles that may).
    """
    if not has_team(conn, inspection_id):
        return None
    role = role_of(conn, inspection_id, person)
    if role is None:
        raise StoreError(not_a_member(conn, inspection_id, name, person))
    roles = tuple(roles)
    if role not in roles:
        raise StoreError(role_not_allowed(person, role, action, roles))
    return role


def access(conn: Connection, inspection_id: int, name: str, person: str) -> Access:
    """What ``person`` may do with the inspection, and why not (see :class:`Access`)."""
    if not has_team(conn, inspection_id):
        return Access(person, None, team=False, can_write=True)
    role = role_of(conn, inspection_id, person)
    if role is None:
        return Access(
            person, None, True, False, str(not_a_member(conn, inspection_id, name, person).message)
        )
    if role == "viewer":
        return Access(
            person,
            role,
            True,
            False,
            f"{shown(person)} is a viewer in the team of inspection '{shown(name)}': viewers read, "
            "and write nothing.",
        )
    return Access(person, role, True, True)


# -- members: adding, changing and removing them ---------------------------------------------


def _member_changed(iid: int, person: str, old: str | None, new: str | None, by: str, at) -> dict:
    return history_row(iid, "member", person, old=old, new=new, by=by, at=at)


def check_person(person: Any, field: str = "person") -> str:
    """Return the person's name stripped.

    Raises
    ------
    StoreError
        ``no_inspector`` when the name is empty.
    """
    text = str(person or "").strip()
    if not text:
        raise StoreError(
            Problem(
                Reason.NO_INSPECTOR,
                f"the {field}'s name is empty: give the name they sign in with.",
                column=field,
            )
        )
    return text


def _require_lead_for_team(conn: Connection, iid: int, name: str, by: str) -> None:
    require_role(conn, iid, name, by, LEADING, "add, change or remove the team's members")


def _only_lead(conn: Connection, iid: int, name: str, person: str, action: str) -> None:
    leads = _leads(conn, iid)
    if leads == [person]:
        raise StoreError(
            Problem(
                Reason.LAST_LEAD,
                f"{shown(person)} is the only lead inspector of inspection '{shown(name)}', so "
                f"they cannot be {action}: first make another member a lead inspector.",
                value=shown(person),
            )
        )


def add_member_in(
    conn: Connection, iid: int, name: str, person: str, role: str, by: str, at
) -> Member:
    """Add ``person`` with ``role`` to the team in the open write transaction ``conn``.

    Raises
    ------
    StoreError
        ``first_member_lead`` (the first member is not a lead inspector), ``not_a_member`` or
        ``role_not_allowed`` (``by`` is not a lead inspector of the team), ``member_exists``.
    """
    if not has_team(conn, iid):
        if role not in LEADING:
            raise StoreError(
                Problem(
                    Reason.FIRST_MEMBER_LEAD,
                    f"inspection '{shown(name)}' has no team yet, and its first member must be "
                    f"its lead inspector (not a {label(role)}): add the lead inspector first.",
                    value=label(role),
                    allowed="lead inspector",
                )
            )
    else:
        _require_lead_for_team(conn, iid, name, by)
        current = role_of(conn, iid, person)
        if current is not None:
            raise StoreError(
                Problem(
                    Reason.MEMBER_EXISTS,
                    f"{shown(person)} is already a member of the team of inspection "
                    f"'{shown(name)}' (a {label(current)}): change their role instead.",
                    value=shown(person),
                )
            )
    conn.execute(
        MemberRow.__table__.insert().values(
            inspection_id=iid, person=person, role=role, added_by=by, added_at=at
        )
    )
    conn.execute(HistoryRow.__table__.insert(), [_member_changed(iid, person, None, role, by, at)])
    return Member(person, role, by, at)


def _member_row(conn: Connection, iid: int, name: str, person: str):
    m = MemberRow.__table__
    row = conn.execute(select(m).where(m.c.inspection_id == iid, m.c.person == person)).first()
    if row is None:
        raise StoreError(not_a_member(conn, iid, name, person))
    return row


def change_role_in(
    conn: Connection, iid: int, name: str, person: str, role: str, by: str, at
) -> Member:
    """Give ``person`` another role in the open write transaction ``conn``.

    Raises
    ------
    StoreError
        ``not_a_member`` (``by`` or ``person``), ``role_not_allowed``, ``last_lead``.
    """
    _require_lead_for_team(conn, iid, name, by)
    row = _member_row(conn, iid, name, person)
    if row.role == role:
        return Member(row.person, row.role, row.added_by, utc(row.added_at))
    if row.role in LEADING and role not in LEADING:
        _only_lead(conn, iid, name, person, f"made a {label(role)}")
    m = MemberRow.__table__
    conn.execute(m.update().where(m.c.id == row.id).values(role=role))
    conn.execute(
        HistoryRow.__table__.insert(), [_member_changed(iid, person, row.role, role, by, at)]
    )
    return Member(row.person, role, row.added_by, utc(row.added_at))


def remove_member_in(conn: Connection, iid: int, name: str, person: str, by: str, at) -> None:
    """Remove ``person`` from the team in the open write transaction ``conn`` (the cases
    allocated to them stay allocated, for the lead inspector to reallocate).

    Raises
    ------
    StoreError
        ``not_a_member`` (``by`` or ``person``), ``role_not_allowed``, ``last_lead``.
    """
    _require_lead_for_team(conn, iid, name, by)
    row = _member_row(conn, iid, name, person)
    if row.role in LEADING:
        _only_lead(conn, iid, name, person, "removed")
    m = MemberRow.__table__
    conn.execute(m.delete().where(m.c.id == row.id))
    conn.execute(
        HistoryRow.__table__.insert(), [_member_changed(iid, person, row.role, None, by, at)]
    )


def not_allocated(case_id: str, allocated_to: str | None, person: str, action: str) -> Problem:
    """The problem of ``person`` doing ``action`` ("answer it") on a case that is not theirs."""
    if allocated_to:
        message = (
            f"{shown(case_id)} is allocated to {shown(allocated_to)}: only {shown(allocated_to)} "
            f"may {action} (ask the lead inspector to reallocate it)."
        )
    else:
        message = (
            f"{shown(case_id)} is not allocated yet: only the person it is allocated to may "
            f"{action} (ask the lead inspector to allocate it to {shown(person)})."
        )
    return Problem(
        Reason.NOT_ALLOCATED, message, value=shown(person), allowed=shown(allocated_to or "")
    )


def require_case_person(
    conn: Connection,
    iid: int,
    name: str,
    case_id: str,
    allocated_to: str | None,
    by: str,
    action: str,
    also: Iterable[str] = LEADING,
) -> None:
    """Allow ``by`` when the inspection has no team, when the case is allocated to them (in an
    answering role), or when their role is one of ``also`` (the lead inspector by default).

    Raises
    ------
    StoreError
        ``not_a_member``, ``role_not_allowed`` (a role that may not do it at all),
        ``not_allocated`` (naming who has the case).
    """
    if not has_team(conn, iid):
        return
    role = role_of(conn, iid, by)
    if role is None:
        raise StoreError(not_a_member(conn, iid, name, by))
    also = tuple(also)
    if role in also:
        return
    if role not in ANSWERING:
        raise StoreError(role_not_allowed(by, role, action, ANSWERING[:2] + also))
    if allocated_to != by:
        raise StoreError(not_allocated(case_id, allocated_to, by, action))


# -- the rules of an answer, on the hot path ---------------------------------------------------

# the rules, whether the case exists and the stored answer (locked on PostgreSQL), in one query
_RULE_COLUMNS = (
    "EXISTS (SELECT 1 FROM members WHERE inspection_id = :i), "
    "(SELECT role FROM members WHERE inspection_id = :i AND person = :p), "
    "(SELECT allocated_to FROM case_work WHERE inspection_id = :i AND case_id = :c), "
    "(SELECT status FROM case_work WHERE inspection_id = :i AND case_id = :c), "
    "(SELECT count(*) FROM queries WHERE inspection_id = :i AND case_id = :c "
    "AND question = :q AND state = 'open'), "
    "EXISTS (SELECT 1 FROM cases WHERE inspection_id = :i AND case_id = :c), "
    "j.id, j.answer, j.note, j.inspector, j.saved_at, j.version"
)
_JUDGEMENT = (
    "SELECT id, answer, note, inspector, saved_at, version FROM judgements "
    "WHERE inspection_id = :i AND case_id = :c AND question = :q"
)
# PostgreSQL also holds the case's case_work row (FOR SHARE) until the save commits, so a lock,
# a reopen or a reallocation made at the same moment waits for the save, and a save waits for
# them and reads what they committed (SQLite has one writer at a time)
_PG_RULE_COLUMNS = _RULE_COLUMNS.replace(
    "(SELECT allocated_to FROM case_work WHERE inspection_id = :i AND case_id = :c), "
    "(SELECT status FROM case_work WHERE inspection_id = :i AND case_id = :c), ",
    "w.allocated_to, w.status, ",
)
_CASE_WORK = "SELECT allocated_to, status FROM case_work WHERE inspection_id = :i AND case_id = :c"
RULES_SQL = {
    "sqlite": f"SELECT {_RULE_COLUMNS} FROM (SELECT 1 AS one) AS x LEFT JOIN ({_JUDGEMENT}) AS j ON 1 = 1",
    "postgresql": re.sub(
        r":(\w+)",
        r"%(\1)s",
        f"WITH j AS ({_JUDGEMENT} FOR UPDATE), w AS ({_CASE_WORK} FOR SHARE) "
        f"SELECT {_PG_RULE_COLUMNS} FROM (SELECT 1 AS one) AS x LEFT JOIN j ON true "
        "LEFT JOIN w ON true",
    ),
}


@dataclass(frozen=True)
class AnswerRules:
    """What one answer's save must respect, read in one query of its write transaction."""

    team: bool
    role: str | None
    allocated_to: str | None
    status: str | None  # None, complete, quality_assured or locked
    open_queries: int  # open queries on this key question of the case
    case_exists: bool = True
    stored: tuple | None = None  # the stored answer's row: id, answer, note, by, at, version


def answer_rules(
    cur, dialect: str, iid: int, case_id: str, question: str, person: str
) -> AnswerRules:
    """Read the rules of one answer, whether its case exists and the answer stored (locked
    for the save on PostgreSQL) with the driver's cursor ``cur``: one query."""
    cur.execute(RULES_SQL[dialect], {"i": iid, "c": case_id, "q": question, "p": person})
    row = cur.fetchone()
    found, role, allocated_to, status, open_queries, case_exists = row[:6]
    stored = None if row[6] is None else tuple(row[6:])
    return AnswerRules(
        bool(found), role, allocated_to, status, int(open_queries or 0), bool(case_exists), stored
    )


def answer_problem(
    conn: Connection, iid: int, name: str, case_id: str, person: str, rules: AnswerRules
) -> Problem | None:
    """The rule an answer by ``person`` to ``case_id`` breaks before it is saved, or None.

    Without a team only a locked case refuses answers; with one, the writer must be a member
    in an answering role with the case allocated to them (see :mod:`workbook.store.team`).
    """
    if rules.team:
        if rules.role is None:
            return not_a_member(conn, iid, name, person)
        if rules.role not in ANSWERING:
            return role_not_allowed(person, rules.role, "answer key questions", ANSWERING)
        if rules.allocated_to != person:
            return not_allocated(case_id, rules.allocated_to, person, "answer it")
    if rules.status == "locked":
        return Problem(
            Reason.CASE_LOCKED,
            f"{shown(case_id)} is locked for rating: its answers cannot change until the lead "
            "inspector reopens it (with a reason).",
            value=shown(case_id),
        )
    return None


def reason_problem(case_id: str, question: str, status: str | None) -> Problem | None:
    """The problem of a changed answer on a signed-off case saved without a reason."""
    if status not in ("complete", "quality_assured"):
        return None
    return Problem(
        Reason.REASON_REQUIRED,
        f"{shown(case_id)} is {label(status)}: changing its answer to {shown(question)} needs "
        "a reason, kept in the history (give reason=, or type it on the form). Nothing was saved.",
        column="reason",
        value=f"{shown(case_id)} {shown(question)}",
    )


def batch_rules(conn: Connection, iid: int) -> tuple[bool, dict, dict, set]:
    """Everything a batch of answers must respect: whether there is a team, each member's
    role, each case's (allocated_to, status), and the (case, key question) with open queries."""
    roles = {m.person: m.role for m in members(conn, iid)}
    w = CaseWorkRow.__table__
    works = {
        r.case_id: (r.allocated_to, r.status)
        for r in conn.execute(
            select(w.c.case_id, w.c.allocated_to, w.c.status).where(w.c.inspection_id == iid)
        )
    }
    q = QueryRow.__table__
    open_ = {
        (r.case_id, r.question)
        for r in conn.execute(
            select(q.c.case_id, q.c.question).where(
                q.c.inspection_id == iid, q.c.state == "open", q.c.question.is_not(None)
            )
        )
    }
    return bool(roles), roles, works, open_


def rules_of_row(batch: tuple, case_id: str, question: str, person: str) -> AnswerRules:
    """One row's :class:`AnswerRules` out of :func:`batch_rules`."""
    team, roles, works, open_ = batch
    allocated_to, status = works.get(case_id, (None, None))
    return AnswerRules(
        team, roles.get(person), allocated_to, status, int((case_id, question) in open_)
    )
