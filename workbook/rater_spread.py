"""Each inspector's share of Yes per key question against the rest of the team.

:func:`rater_spread` takes the judgements (``case_id``, ``question``, ``answer``,
``inspector``) and gives, per key question and inspector, their Yes count and n (Yes + No;
not applicable is left out), their share of Yes with a 95% Wilson interval
(:func:`workbook.stats.wilson_interval`), and the share of Yes of the rest of the team on the
same key question (every other inspector's answers together). Where the inspector's whole
interval lies below the rest's share they are flagged *harsher* than the rest of the team
(fewer Yes), where it lies wholly above, *kinder* (more Yes). Nothing is flagged when the
inspector or the rest have fewer than ``min_n`` (default 5) Yes and No answers: a few cases
say little about how someone rates.

A flag is a prompt for the lead inspector to look at the cases, not a finding: inspectors'
cases differ, and with many inspectors and key questions some intervals miss by chance.

Pure: pandas, numpy and the standard library; no I/O, no clock, no settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from .agreement import question_key
from .errors import InputError, Problem
from .framework import ANSWERS
from .reasons import Reason
from .stats import Z95, wilson_interval

__all__ = [
    "COLUMNS",
    "HARSHER",
    "KINDER",
    "MIN_N",
    "InspectorShare",
    "RaterSpread",
    "rater_spread",
]

COLUMNS = ("case_id", "question", "answer", "inspector")
MIN_N = 5
HARSHER = "harsher"
KINDER = "kinder"
_WORDS = {
    HARSHER: "harsher than the rest of the team (fewer Yes)",
    KINDER: "kinder than the rest of the team (more Yes)",
}


@dataclass(frozen=True)
class InspectorShare:
    """One inspector's share of Yes on one key question, and the rest of the team's.

    Shares and intervals are percentages; a share is None where there is no Yes or No answer.
    ``flag`` is ``"harsher"``, ``"kinder"`` or None.
    """

    question: str
    inspector: str
    yes: int
    n: int  # Yes + No
    share: float | None
    ci95: tuple[float, float] | None  # Wilson, 95%
    rest_yes: int
    rest_n: int
    rest_share: float | None
    flag: str | None
    min_n: int = MIN_N  # below it, for the inspector or the rest, nothing is flagged

    @property
    def words(self) -> str:
        """The comparison in words, such as 'harsher than the rest of the team (fewer Yes): ...'."""
        if self.share is None:
            return "no Yes or No answers"
        mine = (
            f"{self.share:.0f}% Yes of {self.n} (95% interval {self.ci95[0]:.0f}% to "
            f"{self.ci95[1]:.0f}%)"
        )
        if self.rest_share is None:
            return f"{mine}; no answers from the rest of the team"
        against = f"{mine} against {self.rest_share:.0f}% of {self.rest_n} for the rest"
        if self.flag:
            return f"{_WORDS[self.flag]}: {against}"
        if min(self.n, self.rest_n) < self.min_n:
            return f"too few answers to compare (fewer than {self.min_n}): {against}"
        return f"in line with the rest of the team: {against}"


@dataclass(frozen=True)
class RaterSpread:
    """The shares of every inspector on every key question (see :func:`rater_spread`)."""

    rows: tuple[InspectorShare, ...]  # by key question, then inspector
    min_n: int

    @property
    def flagged(self) -> tuple[InspectorShare, ...]:
        """The rows flagged harsher or kinder than the rest of the team."""
        return tuple(r for r in self.rows if r.flag)

    def share(self, question: str, inspector: str) -> InspectorShare | None:
        """The row of one inspector on one key question, or None when they gave no answer."""
        return next(
            (r for r in self.rows if r.question == question and r.inspector == inspector), None
        )

    def frame(self) -> pd.DataFrame:
        """The rows as a table, one column per field and a ``words`` column."""
        columns = [*InspectorShare.__dataclass_fields__, "words"]
        return pd.DataFrame([asdict(r) | {"words": r.words} for r in self.rows], columns=columns)

    def as_json(self) -> list[dict]:
        """The rows as plain values (intervals as two-item lists)."""
        return [
            asdict(r) | {"ci95": list(r.ci95) if r.ci95 else None, "words": r.words}
            for r in self.rows
        ]


def _missing(value) -> bool:
    """No value: None, NaN, pandas' NA or NaT, or empty text."""
    return isinstance(value, str) and value == "" or not isinstance(value, str) and pd.isna(value)


def _checked(judgements: pd.DataFrame) -> pd.DataFrame:
    """The judgements with an answer, as text; a clear error for a bad column or value."""
    if not isinstance(judgements, pd.DataFrame):
        raise InputError("the judgements must be a table (a pandas DataFrame)")
    absent = [
        Problem(Reason.MISSING_COLUMN, f"the judgements have no column '{c}'", column=c)
        for c in COLUMNS
        if c not in judgements.columns
    ]
    if absent:
        raise InputError(absent)
    kept = judgements.loc[[not _missing(a) for a in judgements["answer"]], list(COLUMNS)]
    kept = kept.astype(object).map(lambda v: "" if _missing(v) else str(v))
    problems = []
    for row, r in enumerate(kept.itertuples(index=False), start=1):
        where = f"judgement {row} (case {r.case_id}, {r.question})"
        if r.answer not in ANSWERS:
            problems.append(
                Problem(
                    Reason.UNKNOWN_ANSWER,
                    f"{where}: '{r.answer}' is not an answer",
                    column="answer",
                    value=r.answer,
                    allowed="yes, no, not_applicable",
                )
            )
        if not r.inspector:
            problems.append(
                Problem(Reason.EMPTY_VALUE, f"{where}: no inspector", column="inspector")
            )
    if problems:
        raise InputError(problems)
    return kept


def _flag(ci95, rest_share, n: int, rest_n: int, min_n: int) -> str | None:
    if ci95 is None or rest_share is None or n < min_n or rest_n < min_n:
        return None
    if ci95[1] < rest_share:
        return HARSHER
    if ci95[0] > rest_share:
        return KINDER
    return None


def _row(question: str, inspector: str, yes: int, n: int, total_yes: int, total_n: int, min_n):
    share = 100 * yes / n if n else None
    ci95 = wilson_interval(yes, n, Z95) if n else None
    rest_yes, rest_n = total_yes - yes, total_n - n
    rest_share = 100 * rest_yes / rest_n if rest_n else None
    return InspectorShare(
        question=question,
        inspector=inspector,
        yes=yes,
        n=n,
        share=share,
        ci95=ci95,
        rest_yes=rest_yes,
        rest_n=rest_n,
        rest_share=rest_share,
        flag=_flag(ci95, rest_share, n, rest_n, min_n),
        min_n=min_n,
    )


def rater_spread(judgements: pd.DataFrame, min_n: int = MIN_N) -> RaterSpread:
    """Each inspector's share of Yes per key question, against the rest of the team.

    Parameters
    ----------
    judgements : pandas.DataFrame
        One row per answer, columns ``case_id``, ``question``, ``answer`` (``yes``, ``no``,
        ``not_applicable``) and ``inspector``; a row with no answer is left out, and
        not applicable counts in neither Yes nor n.
    min_n : int, default 5
        The fewest Yes and No answers, of the inspector and of the rest of the team, for a
        flag: below it nothing is flagged.

    Returns
    -------
    RaterSpread
        One :class:`InspectorShare` per key question (in id order) and inspector (by name)
        who answered it; ``flag`` is ``"harsher"`` where the inspector's 95% Wilson interval
        lies wholly below the rest's share of Yes, ``"kinder"`` where wholly above.

    Raises
    ------
    InputError
        If a column is missing (``MISSING_COLUMN``), an answer is not yes, no or
        not_applicable (``UNKNOWN_ANSWER``), an inspector is empty (``EMPTY_VALUE``), or
        ``min_n`` is not a whole number of 1 or more (``BAD_ARGUMENT``).
    """
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise InputError(
            Problem(
                Reason.BAD_ARGUMENT,
                f"the minimum n must be a whole number of 1 or more, not {min_n!r}",
                column="min_n",
                value=min_n,
                allowed="1 or more",
            )
        )
    rows = _checked(judgements)
    counted = rows.assign(
        yes=(rows["answer"] == "yes").astype(int), n=rows["answer"].isin(["yes", "no"]).astype(int)
    )
    own = counted.groupby(["question", "inspector"], sort=False)[["yes", "n"]].sum()
    totals = counted.groupby("question", sort=False)[["yes", "n"]].sum()
    shares = [
        _row(q, who, int(c.yes), int(c.n), int(totals.at[q, "yes"]), int(totals.at[q, "n"]), min_n)
        for (q, who), c in own.iterrows()
    ]
    shares.sort(key=lambda r: (question_key(r.question), r.inspector))
    return RaterSpread(rows=tuple(shares), min_n=min_n)
