"""Judgements and decisions: the values, and the one rule that accepts each.

Files, the store and the widgets all accept an answer, a rating, a decision or a case id
through these functions, so that one input is accepted or refused the same way everywhere and
with the same words.

- An answer is ``yes``, ``no`` or ``not_applicable``; ``Y``, ``N``, ``NA``, ``N/A`` and
  "not applicable" are read as those, in any case. *Not applicable* is allowed only where the
  framework rates the key question over a relevant sub-sample.
- A rating is one of the framework's ratings, matched ignoring case, spaces and punctuation
  (``requires-improvement`` is *Requires improvement*).
- A decision (professional discretion, or a domain-one judged rating) names a standard of the
  framework, a rating and a reason the report's footnote can quote.
- A case id is not empty and appears once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .framework import ANSWERS
from .reasons import Reason

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .framework import Framework

ANSWERS_ALLOWED = "yes, no, not applicable (also Y, N, NA, N/A)"
CASE_ID_ALLOWED = "the case's id, such as its CRN"
REASON_ALLOWED = "a sentence the report's footnote can quote"

_ANSWER_WORDS = {
    "yes": "yes",
    "y": "yes",
    "no": "no",
    "n": "no",
    "notapplicable": "not_applicable",
    "na": "not_applicable",
}


@dataclass(frozen=True)
class Judgement:
    """One case's answer to one key question."""

    case_id: str
    question: str
    answer: str  # yes, no, not_applicable


@dataclass(frozen=True)
class Decision:
    """A standard's rating set by the inspectors.

    Professional discretion (a case-rated standard) or a judged rating with its evidence (a
    domain-one standard).
    """

    standard: str
    rating: str
    reason: str
    by: str | None = None
    at: datetime | None = None


def _canon(value: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower())


def normalise_answer(value: Any) -> str | None:
    """Return the canonical answer for ``value``, or None when it is not an answer.

    Parameters
    ----------
    value
        What someone wrote: 'Yes', 'Y', 'no', 'N/A', 'not applicable', ...

    Returns
    -------
    str or None
        ``yes``, ``no``, ``not_applicable``, or None.
    """
    text = str(value).strip().lower()
    if text in ANSWERS:
        return text
    return _ANSWER_WORDS.get(_canon(text))


def normalise_rating(framework: Framework, value: Any) -> str | None:
    """Return the framework's rating that ``value`` names, or None.

    Case, spaces and punctuation are ignored, so 'requires-improvement' and
    'REQUIRES IMPROVEMENT' are both *Requires improvement*.
    """
    if value is None:
        return None
    wanted = _canon(value)
    if not wanted:
        return None
    return next((r for r in framework.ratings if _canon(r) == wanted), None)


def check_judgement(
    framework: Framework,
    question: Any,
    answer: Any,
    *,
    file: str | None = None,
    row: int | None = None,
    inspection: str | None = None,
) -> tuple[str | None, list[Problem]]:
    """Check one answer to one key question.

    Parameters
    ----------
    framework
        The inspection's framework.
    question
        The key question's id, such as ``"2.1.3"``.
    answer
        The answer as written, or None (no answer: only the question is checked).
    file, row
        Where the answer was read, for the problems' location.
    inspection
        The inspection's name, quoted in the message when given.

    Returns
    -------
    tuple
        The canonical answer (None when it is refused or was None) and the problems found.
    """
    problems: list[Problem] = []
    question = str(question).strip()
    if not framework.has_key_question(question):
        rated = [q.id for q in framework.rated_key_questions]
        where = f" (inspection '{inspection}')" if inspection else ""
        problems.append(
            Problem(
                Reason.UNKNOWN_KEY_QUESTION,
                f"'{question}' is not a key question answered on cases in {framework.id}{where}.",
                file=file,
                row=row,
                column="question",
                value=question,
                allowed=f"{rated[0]} ... {rated[-1]}" if rated else None,
            )
        )
    if answer is None:
        return None, problems
    canonical = normalise_answer(answer)
    if canonical is None:
        problems.append(
            Problem(
                Reason.UNKNOWN_ANSWER,
                f"'{answer}' is not an answer.",
                file=file,
                row=row,
                column="answer",
                value=answer,
                allowed=ANSWERS_ALLOWED,
            )
        )
    elif not problems and canonical not in framework.key_question(question).allowed_answers:
        problems.append(
            Problem(
                Reason.ANSWER_NOT_ALLOWED,
                f"'{answer}' is not allowed for {question}, which is rated over every case of "
                "its sample.",
                file=file,
                row=row,
                column="answer",
                value=answer,
                allowed=", ".join(framework.key_question(question).allowed_answers),
            )
        )
    return (None if problems else canonical), problems


def check_decision(
    framework: Framework,
    standard: Any,
    rating: Any,
    reason: Any,
    *,
    file: str | None = None,
    row: int | None = None,
) -> tuple[str | None, list[Problem]]:
    """Check a decision: a standard of the framework, a rating, and its reason.

    ``rating`` None means the decision is withdrawn: only the standard is checked then.

    Returns
    -------
    tuple
        The canonical rating (None when refused or withdrawn) and the problems found.
    """
    problems: list[Problem] = []
    standard = str(standard).strip()
    if not framework.has_standard(standard):
        problems.append(
            Problem(
                Reason.UNKNOWN_STANDARD,
                f"'{standard}' is not a standard of {framework.id}.",
                file=file,
                row=row,
                column="standard",
                value=standard,
                allowed=", ".join(s.id for s in framework.standards),
            )
        )
    if rating is None:
        return None, problems
    canonical = normalise_rating(framework, rating)
    if canonical is None:
        problems.append(
            Problem(
                Reason.UNKNOWN_RATING if str(rating).strip() else Reason.MISSING_RATING,
                f"'{rating}' is not a rating." if str(rating).strip() else "choose a rating.",
                file=file,
                row=row,
                column="rating",
                value=rating if str(rating).strip() else None,
                allowed=", ".join(framework.ratings),
            )
        )
    if not str(reason or "").strip():
        problems.append(
            Problem(
                Reason.MISSING_REASON,
                "the reason (or, for a domain-one standard, the evidence) is empty.",
                file=file,
                row=row,
                column="reason",
                allowed=REASON_ALLOWED,
            )
        )
    return (None if problems else canonical), problems


def check_case_ids(
    ids: Iterable[tuple[int | None, Any]],
    *,
    file: str | None = None,
    column: str = "case_id",
    shorten=None,
) -> list[Problem]:
    """Check case ids: none empty, each once.

    Parameters
    ----------
    ids
        (row as a spreadsheet shows it, case id) pairs, in file order.
    file, column
        Where the ids were read, for the problems' location.
    shorten
        Optional function shortening a long id for the message (the value keeps it whole).

    Returns
    -------
    list of Problem
        Every empty and every repeated id, in file order.
    """
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for row, raw in ids:
        cid = "" if raw is None else str(raw).strip()
        if not cid:
            problems.append(
                Problem(
                    Reason.EMPTY_CASE_ID,
                    "the case id is empty.",
                    file=file,
                    row=row,
                    column=column,
                    allowed=CASE_ID_ALLOWED,
                )
            )
        elif cid in seen:
            shown = shorten(cid) if shorten else cid
            problems.append(
                Problem(
                    Reason.DUPLICATE_CASE_ID,
                    f"case '{shown}' appears twice (first at row {seen[cid]}).",
                    file=file,
                    row=row,
                    column=column,
                    value=cid,
                    allowed="each case once",
                )
            )
        else:
            seen[cid] = row
    return problems


def check_breakdown(columns: Iterable[str], by: Iterable[str]) -> list[Problem]:
    """Check that every attribute to break the ratings down by is a column of the cases.

    Parameters
    ----------
    columns
        The columns of the cases (``case_id`` and their attributes).
    by
        The attributes asked for, such as ``("ldu",)``.

    Returns
    -------
    list of Problem
        One ``unknown_attribute`` for each attribute the cases do not have.
    """
    columns = list(columns)
    return [
        Problem(
            Reason.UNKNOWN_ATTRIBUTE,
            f"the cases have no column '{m}'.",
            column=m,
            allowed=", ".join(c for c in columns if c != "case_id"),
        )
        for m in by
        if m not in columns
    ]


def unknown_case(case_id: str, inspection: str) -> Problem:
    """The problem of a case id that is not in the inspection's sample.

    Parameters
    ----------
    case_id
        The id asked for.
    inspection
        The inspection's name.

    Returns
    -------
    Problem
        ``unknown_case``, naming the case and the inspection.
    """
    return Problem(
        Reason.UNKNOWN_CASE,
        f"there is no case '{case_id}' in inspection '{inspection}'.",
        column="case_id",
        value=case_id,
        allowed="a case of the inspection's sample",
    )
