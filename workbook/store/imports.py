"""Checking an export's values before an import writes any of them.

Every cell of every export file is converted to what the store holds (texts, whole numbers,
dates, UTC times) and checked against the framework the inspection is pinned to (answers,
ratings, key questions, standards) and against the other files (case ids). Every problem is
collected, each naming the file, the row (as a spreadsheet shows it: the header is row 1) and
the column; an import writes nothing unless there is none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import Problem, StoreError
from ..framework import ANSWERS, Framework
from ..judgements import CASE_ID_ALLOWED
from ..reasons import Reason
from .names import check_name, shown
from .team import ROLES
from .values import utc

MAX_ERRORS = 50
TEAM_CASE_FILES = ("case_work.csv", "queries.csv", "second_judgements.csv", "adjudications.csv")


class _Bad(ValueError):
    """A cell that is not valid: what is wrong and what is allowed."""

    def __init__(self, what: str, allowed: str):
        super().__init__(what)
        self.what, self.allowed = what, allowed


def _text(value: str | None) -> str:
    if value is None or not value.strip():
        raise _Bad("is empty", "a text that is not empty")
    return value


def _optional(value: str | None) -> str | None:
    return value


def _whole(minimum: int) -> Callable[[str | None], int]:
    def parse(value: str | None) -> int:
        try:
            number = int(str(value))
        except ValueError:
            raise _Bad("is not a whole number", f"a whole number of {minimum} or more") from None
        if number < minimum:
            raise _Bad(f"is less than {minimum}", f"a whole number of {minimum} or more")
        return number

    return parse


def _optional_whole(value: str | None) -> int | None:
    return None if value is None else _whole(0)(value)


def _time(value: str | None) -> datetime:
    try:
        return utc(datetime.fromisoformat(str(value)))
    except ValueError:
        raise _Bad("is not a time", "an ISO 8601 time such as 2019-03-04T10:15:00+00:00") from None


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Bad("is not a date", "an ISO 8601 date such as 2019-03-04") from None


def _attributes(value: str | None) -> str:
    try:
        if not isinstance(json.loads(value or "{}"), dict):
            raise ValueError
    except ValueError:
        raise _Bad("is not a JSON object", "the case's attributes as a JSON object") from None
    return value or "{}"


def _name(value: str | None) -> str:
    try:
        return check_name(value or "")
    except StoreError as exc:
        raise _Bad("is not an inspection name", str(exc.problems[0].allowed)) from None


def _framework_checks(framework: Framework) -> dict[str, Callable]:
    def question(value: str | None) -> str:
        if not framework.has_key_question(str(value)):
            raise _Bad(
                f"is not a key question of {framework.id}", "a key question id such as 2.1.1"
            )
        return str(value)

    def standard(value: str | None) -> str:
        if not framework.has_standard(str(value)):
            raise _Bad(
                f"is not a standard of {framework.id}", ", ".join(s.id for s in framework.standards)
            )
        return str(value)

    def rating(value: str | None) -> str | None:
        if value is not None and value not in framework.ratings:
            raise _Bad("is not a rating", ", ".join(framework.ratings) + ", or \\N (withdrawn)")
        return value

    def answer(value: str | None) -> str | None:
        if value is not None and value not in ANSWERS:
            raise _Bad("is not an answer", "yes, no, not_applicable, or \\N (cleared)")
        return value

    return {"question": question, "standard": standard, "rating": rating, "answer": answer}


def _one_of(allowed: tuple, optional: bool = False) -> Callable[[str | None], str | None]:
    def parse(value: str | None) -> str | None:
        if (value is None and optional) or value in allowed:
            return value
        raise _Bad("is not allowed here", ", ".join(a or "\\N" for a in allowed))

    return parse


def _flag(value: str | None) -> bool:
    if value not in ("True", "False"):
        raise _Bad("is not True or False", "True or False")
    return value == "True"


def _optional_time(value: str | None) -> datetime | None:
    return None if value is None else _time(value)


def _team_columns(f: dict[str, Callable]) -> dict[str, dict[str, Callable]]:
    """The team's export files (format 3) -> column -> the conversion of its cells."""
    person, signed = _optional, _one_of(("complete", "quality_assured", "locked"), True)
    first = {"case_id": _text, "question": f["question"], "answer": f["answer"], "note": _optional}
    return {
        "members.csv": {
            "person": _text,
            "role": _one_of(ROLES),
            "added_by": _text,
            "added_at": _time,
        },
        "case_work.csv": {
            "case_id": _text,
            "allocated_to": person,
            "second_rater": person,
            "status": signed,
            "status_before_lock": signed,
            "status_by": person,
            "status_at": _optional_time,
            "probe": _flag,
            "probe_note": _optional,
            "dip_sample": _flag,
            "updated_by": _text,
            "updated_at": _time,
        },
        "queries.csv": {
            "case_id": _text,
            "question": lambda v: None if v is None else f["question"](v),
            "text": _text,
            "state": _one_of(("open", "answered", "resolved")),
            "opened_by": _text,
            "opened_at": _time,
            "reply": _optional,
            "replied_by": person,
            "replied_at": _optional_time,
            "resolution": _optional,
            "resolved_by": person,
            "resolved_at": _optional_time,
        },
        "second_judgements.csv": first
        | {"inspector": _text, "saved_at": _time, "version": _whole(1)},
        "adjudications.csv": {
            "case_id": _text,
            "question": f["question"],
            "first": f["answer"],
            "second": f["answer"],
            "final": lambda v: _text(f["answer"](v)),
            "reason": _text,
            "by": _text,
            "at": _time,
        },
    }


def _columns(framework: Framework) -> dict[str, dict[str, Callable]]:
    """Export file -> column -> the conversion of its cells."""
    f = _framework_checks(framework)
    return {
        "inspection.csv": {
            "name": _name,
            "provider": lambda v: v or "",
            "framework_id": _text,
            "framework_version": _text,
            "fieldwork_start": _date,
            "fieldwork_end": _date,
            "created_by": lambda v: v or "import",
            "created_at": _time,
        },
        "cases.csv": {
            "case_id": _text,
            "position": _whole(0),
            "ldu": _optional,
            "attributes": _attributes,
        },
        "judgements.csv": {
            "case_id": _text,
            "question": f["question"],
            "answer": f["answer"],
            "note": _optional,
            "inspector": _text,
            "saved_at": _time,
            "version": _whole(1),
        },
        "decisions.csv": {
            "standard": f["standard"],
            "rating": f["rating"],
            "reason": lambda v: v or "",
            "inspector": _text,
            "saved_at": _time,
            "version": _whole(1),
        },
        "history.csv": {
            "entity": _text,
            "key": _text,
            "case_id": _optional,
            "question": _optional,
            "version": _optional_whole,
            "old": _optional,
            "new": _optional,
            "old_note": _optional,
            "new_note": _optional,
            "by": _text,
            "at": _time,
            "reason": _optional,  # format 3: an older export has no reason
        },
    } | _team_columns(f)


def _problem(path: str, row: int, column: str, value: Any, bad: _Bad) -> Problem:
    return Problem(
        Reason.BAD_EXPORT,
        f"'{shown(value)}' {bad.what}; nothing was imported."
        if value is not None
        else f"the value {bad.what}; nothing was imported.",
        file=path,
        row=row,
        column=column,
        value=None if value is None else shown(value),
        allowed=bad.allowed,
    )


def _convert_file(
    path: str, rows: list[dict], columns: dict[str, Callable], problems: list
) -> list[dict]:
    converted = []
    for number, row in enumerate(rows, start=2):
        out = {}
        for column, parse in columns.items():
            try:
                out[column] = parse(row.get(column))
            except _Bad as bad:
                problems.append(_problem(path, number, column, row.get(column), bad))
        converted.append(out)
    return converted


def _check_links(
    folder: Path, tables: dict[str, list[dict]], rows: dict[str, list[dict]], framework: Framework
) -> list[Problem]:
    """Case ids once each; judgements of known cases, each key question once, answers allowed."""
    problems: list[Problem] = []
    cases: set[str] = set()
    path = str(folder / "cases.csv")
    for number, row in enumerate(tables["cases.csv"], start=2):
        case_id = row.get("case_id")
        if case_id in cases:
            bad = _Bad("is a case id given twice", CASE_ID_ALLOWED + ", once")
            problems.append(_problem(path, number, "case_id", case_id, bad))
        cases.add(case_id)
    for fname in TEAM_CASE_FILES:
        path = str(folder / fname)
        for number, row in enumerate(tables.get(fname, []), start=2):
            if row.get("case_id") not in cases:
                bad = _Bad("is not a case of cases.csv", CASE_ID_ALLOWED)
                problems.append(_problem(path, number, "case_id", row.get("case_id"), bad))
    path = str(folder / "judgements.csv")
    seen: set[tuple] = set()
    for number, row in enumerate(rows["judgements.csv"], start=2):
        case_id, question, answer = row.get("case_id"), row.get("question"), row.get("answer")
        if case_id is not None and case_id not in cases:
            problems.append(
                _problem(
                    path,
                    number,
                    "case_id",
                    case_id,
                    _Bad("is not a case of cases.csv", CASE_ID_ALLOWED),
                )
            )
        if (case_id, question) in seen:
            problems.append(
                _problem(
                    path,
                    number,
                    "question",
                    question,
                    _Bad("is answered twice for this case", "each key question once per case"),
                )
            )
        seen.add((case_id, question))
        if question and answer and framework.has_key_question(question):
            allowed = framework.key_question(question).allowed_answers
            if answer not in allowed:
                problems.append(
                    _problem(
                        path,
                        number,
                        "answer",
                        answer,
                        _Bad("is not allowed for this key question", ", ".join(allowed)),
                    )
                )
    return problems


def check_import(
    folder: Path | str, tables: dict[str, list[dict]], framework_of: Callable[[str, str], Framework]
) -> dict[str, list[dict]]:
    """Return the export's rows converted to what the store holds; raise every problem at once.

    Parameters
    ----------
    folder
        The export folder, for the problems' location.
    tables
        File name -> rows of text, as :func:`workbook.store.read_export` returns them.
    framework_of
        Returns the framework of an id, refusing another version than the one given.

    Returns
    -------
    dict
        File name -> rows of converted values (inspection.csv holds one row).

    Raises
    ------
    StoreError
        ``bad_export`` for each bad cell (at most 50), naming file, row and column; or the
        framework's problem (``unknown_framework``, ``framework_version``).
    """
    folder = Path(folder)
    ins = tables["inspection.csv"][0]
    framework = framework_of(str(ins.get("framework_id")), str(ins.get("framework_version")))
    problems: list[Problem] = []
    rows = {
        fname: _convert_file(str(folder / fname), tables[fname], columns, problems)
        for fname, columns in _columns(framework).items()
    }
    if not problems:
        problems = _check_links(folder, tables, rows, framework)
    if problems:
        raise StoreError(problems[:MAX_ERRORS])
    return rows
