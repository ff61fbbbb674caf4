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
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..reasons import Reason
from .names import shown
from .schema import MemberRow
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
