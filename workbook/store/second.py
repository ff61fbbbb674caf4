"""Blind second rating and the lead inspector's adjudication.

- The lead inspector gives a case a second rater: a member who answers cases (an inspector, a
  local assessor, a lead inspector) or a quality lead, never the person the case is allocated
  to. History entity ``second_rater`` (old and new person).
- The second rater's answers live in ``second_judgements``, with versions and conflicts as
  first answers have (:func:`workbook.store.saving.plan_save`), and never enter the ratings.
  History entity ``second`` (key ``"C001 2.1.1"``, old and new answers and notes).
- Where the first and the second answers differ, the lead inspector adjudicates: the final
  answer is saved to ``judgements`` by the hot path of first answers
  (:func:`workbook.store.judgements.save_one`; the case's allocation is not asked, the save is
  recorded as the lead's, history entity ``judgement`` with the reason), so it enters the
  ratings, and answers the open queries on it as a changed answer does; the
  ``adjudications`` row keeps both originals and the reason, and a history row (entity
  ``adjudication``) has ``old`` the originals as JSON (first, first_rater, second,
  second_rater), ``new`` the final and ``reason`` the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..reasons import Reason
from . import history
from . import judgements as judgements_
from . import queries as queries_
from .names import shown
from .review import case_locked, case_work_row, require_case, set_case_work
from .saving import conflict, plan_save
from .schema import AdjudicationRow, HistoryRow, JudgementRow, SecondJudgementRow
from .team import ANSWERING, REVIEWING, has_team, label, not_a_member, role_of
from .values import SaveResult, StoredJudgement, dumps, now, utc

SECOND_RATERS = (*ANSWERING, "quality_lead")  # the roles a second rater may have
PAIR_COLUMNS = ["case_id", "question", "first_rater", "first", "second_rater", "second"]
ADJUDICATION_COLUMNS = [
    "case_id",
    "question",
    "first_rater",
    "first",
    "second_rater",
    "second",
    "final",
    "reason",
    "by",
    "at",
]

# -- the second rater -------------------------------------------------------------------------


def _check_rater(conn: Connection, iid: int, name: str, case_id: str, person: str, row) -> None:
    if has_team(conn, iid):
        role = role_of(conn, iid, person)
        if role is None:
            raise StoreError(not_a_member(conn, iid, name, person))
        if role not in SECOND_RATERS:
            who = ", ".join(label(r) for r in SECOND_RATERS)
            raise StoreError(
                Problem(
                    Reason.ROLE_NOT_ALLOWED,
                    f"{shown(person)} is a {label(role)} in this team, and a second rater is "
                    f"one of: {who}.",
                    value=label(role),
                    allowed=who,
                )
            )
    if row is not None and row.allocated_to == person:
        raise StoreError(
            Problem(
                Reason.SECOND_RATER_IS_FIRST,
                f"case {shown(case_id)} is allocated to {shown(person)}, who rates it first: "
                "its second rater must be someone else, so the two ratings are independent.",
                value=shown(person),
            )
        )


def set_second_rater_in(
    conn: Connection, iid: int, name: str, case_id: str, person: str | None, by: str
) -> None:
    """Give the case its second rater (None: take the second rater off) and record it."""
    require_case(conn, iid, name, case_id)
    row = case_work_row(conn, iid, case_id, lock=True)
    if person is not None:
        _check_rater(conn, iid, name, case_id, person, row)
    old = None if row is None else row.second_rater
    if old == person:
        return
    at = now()
    set_case_work(conn, iid, case_id, by, at, second_rater=person)
    conn.execute(
        HistoryRow.__table__.insert(),
        history.history_row(
            iid, "second_rater", case_id, old=old, new=person, by=by, at=at, case_id=case_id
        ),
    )


# -- second judgements ------------------------------------------------------------------------


def _not_second_rater(case_id: str, person: str, rater: str | None) -> Problem:
    if rater is None:
        why = (
            f"case {shown(case_id)} has no second rater: the lead inspector gives it one first "
            "(python -m workbook second-rater)."
        )
    else:
        why = (
            f"case {shown(case_id)}'s second rater is {shown(rater)}: only {shown(rater)} may "
            f"save its second rating, not {shown(person)}."
        )
    return Problem(Reason.NOT_SECOND_RATER, why, value=shown(person))


def check_second_rater(conn: Connection, iid: int, name: str, case_id: str, person: str) -> None:
    """Raise unless ``person`` may save a second rating of the case now.

    Raises
    ------
    StoreError
        ``unknown_case``, ``not_second_rater``, ``not_a_member``, ``case_locked``,
        ``second_rater_is_first`` (the case was allocated to its second rater since).
    """
    require_case(conn, iid, name, case_id)
    row = case_work_row(conn, iid, case_id)
    rater = None if row is None else row.second_rater
    if rater != person:
        raise StoreError(_not_second_rater(case_id, person, rater))
    if has_team(conn, iid) and role_of(conn, iid, person) is None:
        raise StoreError(not_a_member(conn, iid, name, person))
    locked = case_locked(case_id, row, "change the second rating of")
    if locked is not None:
        raise StoreError(locked)
    _check_rater(conn, iid, name, case_id, person, row)


@dataclass(frozen=True)
class SecondSave:
    """One second answer to save, with the version its saver last saw (None: last write wins)."""

    inspection_id: int
    name: str
    case_id: str
    question: str
    answer: str | None
    note: str | None
    inspector: str
    expect_version: int | None = None


def _stored(r: Any) -> StoredJudgement:
    return StoredJudgement(
        r.case_id, r.question, r.answer, r.note, r.inspector, utc(r.saved_at), r.version
    )


def save_second_in(conn: Connection, save: SecondSave) -> SaveResult:
    """Save one second answer in the open write transaction (rules checked before)."""
    s = SecondJudgementRow.__table__
    key = (
        s.c.inspection_id == save.inspection_id,
        s.c.case_id == save.case_id,
        s.c.question == save.question,
    )
    row = conn.execute(select(s).where(*key).with_for_update()).first()
    previous = None if row is None else _stored(row)
    version = plan_save(
        None if previous is None else (previous.answer, previous.note, previous.version),
        save.answer,
        save.note,
        expect_version=save.expect_version,
        on_conflict=lambda current: conflict(
            f"case {save.case_id}, {save.question} (second rating)",
            "answer",
            previous,
            current,
            save.expect_version,
        ),
    )
    if version is None:
        empty = StoredJudgement(save.case_id, save.question, None, None, save.inspector, now(), 0)
        return SaveResult(previous or empty, previous, False)
    at = now()
    values = {"answer": save.answer, "note": save.note, "inspector": save.inspector}
    values.update(saved_at=at, version=version)
    if row is None:
        conn.execute(
            s.insert().values(
                inspection_id=save.inspection_id,
                case_id=save.case_id,
                question=save.question,
                **values,
            )
        )
    else:
        conn.execute(update(s).where(s.c.id == row.id).values(**values))
    entry = history.judgement_changed(
        save.inspection_id,
        previous,
        save.case_id,
        save.question,
        save.answer,
        save.note,
        save.inspector,
        at,
        version,
    )
    conn.execute(HistoryRow.__table__.insert(), {**entry, "entity": "second"})
    stored = StoredJudgement(
        save.case_id, save.question, save.answer, save.note, save.inspector, at, version
    )
    return SaveResult(stored, previous, True)


def sees_every_second(conn: Connection, iid: int, person: str) -> bool:
    """Whether ``person`` sees every second rating (a lead inspector or a quality lead)."""
    return role_of(conn, iid, person) in REVIEWING


def second_judgements(
    conn: Connection, iid: int, case_id: str | None, person: str | None
) -> dict[tuple[str, str], StoredJudgement]:
    """The second answers (cleared ones included), optionally of one case and one rater."""
    s = SecondJudgementRow.__table__
    query = select(s).where(s.c.inspection_id == iid)
    if case_id is not None:
        query = query.where(s.c.case_id == case_id)
    if person is not None:
        query = query.where(s.c.inspector == person)
    return {(r.case_id, r.question): _stored(r) for r in conn.execute(query.order_by(s.c.id))}


# -- adjudication -----------------------------------------------------------------------------


def _originals(conn: Connection, iid: int) -> dict[tuple[str, str], dict[str, Any]]:
    """The originals of each adjudicated judgement, from its latest adjudication's history."""
    h = HistoryRow.__table__
    rows = conn.execute(
        select(h.c.case_id, h.c.question, h.c.old)
        .where(h.c.inspection_id == iid, h.c.entity == "adjudication")
        .order_by(h.c.id)
    ).all()
    return {(r.case_id, r.question): json.loads(r.old) for r in rows}


def _nothing(case_id: str, question: str, why: str) -> StoreError:
    return StoreError(
        Problem(
            Reason.NOTHING_TO_ADJUDICATE,
            f"case {shown(case_id)}, {shown(question)}: {why}, so there is nothing to adjudicate.",
            value=f"{shown(case_id)} {shown(question)}",
        )
    )


@dataclass(frozen=True)
class Adjudication:
    """The lead inspector's final answer to one judgement, and why."""

    inspection_id: int
    name: str
    case_id: str
    question: str
    final: str
    reason: str
    by: str


def _pair_of(conn: Connection, adj: Adjudication) -> tuple[dict[str, Any], StoredJudgement]:
    """The originals (first, first_rater, second, second_rater) and the first answer stored."""
    key = (adj.case_id, adj.question)
    seconds = second_judgements(conn, adj.inspection_id, adj.case_id, None)
    second = seconds.get(key)
    if second is None or second.answer is None:
        raise _nothing(*key, "it has no second rating")
    first = judgements_.case_judgements(conn, adj.inspection_id, adj.case_id).get(adj.question)
    before = _originals(conn, adj.inspection_id).get(key)
    if before is None:
        if first is None or first.answer is None:
            raise _nothing(*key, "it has no first answer")
        before = {"first": first.answer, "first_rater": first.inspector}
    originals = {**before, "second": second.answer, "second_rater": second.inspector}
    if originals["first"] == originals["second"]:
        raise _nothing(*key, f"the first and the second rating agree ({originals['first']})")
    return originals, first


def adjudicate_in(conn: Connection, sql: judgements_.Dialect, adj: Adjudication) -> SaveResult:
    """Adjudicate in the open write transaction: the final to ``judgements`` (the hot path),
    the adjudication row with both originals, and its history."""
    require_case(conn, adj.inspection_id, adj.name, adj.case_id)
    locked = case_locked(
        adj.case_id, case_work_row(conn, adj.inspection_id, adj.case_id), "adjudicate"
    )
    if locked is not None:
        raise StoreError(locked)
    originals, first = _pair_of(conn, adj)
    note = None if first is None else first.note
    save = judgements_.Save(
        adj.inspection_id,
        adj.name,
        adj.case_id,
        adj.question,
        adj.final,
        note,
        adj.by,
        reason=f"adjudication: {adj.reason}",
    )
    result = judgements_.save_one(conn, sql, save)
    at = now()
    if result.changed:  # a changed answer answers the open queries on it
        j = result.judgement
        old = None if result.previous is None else result.previous.answer
        queries_.answered_by_change(
            conn, adj.inspection_id, j.case_id, j.question, old, j.answer, save.reason, adj.by, at
        )
    a = AdjudicationRow.__table__
    key = (
        a.c.inspection_id == adj.inspection_id,
        a.c.case_id == adj.case_id,
        a.c.question == adj.question,
    )
    values = {"second": originals["second"], "final": adj.final, "reason": adj.reason}
    values.update(by=adj.by, at=at)
    if conn.execute(select(a.c.id).where(*key)).first() is None:
        conn.execute(
            a.insert().values(
                inspection_id=adj.inspection_id,
                case_id=adj.case_id,
                question=adj.question,
                first=originals["first"],
                **values,
            )
        )
    else:
        conn.execute(update(a).where(*key).values(**values))
    conn.execute(
        HistoryRow.__table__.insert(),
        history.history_row(
            adj.inspection_id,
            "adjudication",
            f"{adj.case_id} {adj.question}",
            old=dumps(originals),
            new=adj.final,
            by=adj.by,
            at=at,
            case_id=adj.case_id,
            question=adj.question,
            reason=adj.reason,
        ),
    )
    return result


def adjudications(conn: Connection, iid: int) -> pd.DataFrame:
    """Every adjudication, in the order first made; columns :data:`ADJUDICATION_COLUMNS`."""
    a = AdjudicationRow.__table__
    originals = _originals(conn, iid)
    rows = conn.execute(select(a).where(a.c.inspection_id == iid).order_by(a.c.id)).all()
    records = []
    for r in rows:
        found = originals.get((r.case_id, r.question), {})
        records.append(
            (
                r.case_id,
                r.question,
                found.get("first_rater"),
                r.first,
                found.get("second_rater"),
                r.second,
                r.final,
                r.reason,
                r.by,
                utc(r.at),
            )
        )
    frame = pd.DataFrame(records, columns=ADJUDICATION_COLUMNS, dtype=object)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def rating_pairs(conn: Connection, iid: int) -> pd.DataFrame:
    """One row per second rating (answered): the first and the second rater and answers.

    The first is the original first answer: the adjudication's where adjudicated (the final
    then stands in ``judgements``). A second rating without a first answer has first None.
    """
    j = JudgementRow.__table__
    firsts = {
        (r.case_id, r.question): (r.inspector, r.answer)
        for r in conn.execute(
            select(j.c.case_id, j.c.question, j.c.inspector, j.c.answer).where(
                j.c.inspection_id == iid
            )
        )
    }
    originals = _originals(conn, iid)
    records = []
    for key, second in second_judgements(conn, iid, None, None).items():
        if second.answer is None:
            continue
        rater, first = firsts.get(key, (None, None))
        if key in originals:
            rater, first = originals[key]["first_rater"], originals[key]["first"]
        if first is None:
            rater = None
        records.append((*key, rater, first, second.inspector, second.answer))
    return pd.DataFrame(records, columns=PAIR_COLUMNS, dtype=object)
