"""How far first and second raters agree: counts table, percent, Cohen's kappa and Gwet's AC1.

:func:`agreement` takes the rating pairs (one row per second rating: ``case_id``,
``question``, ``first_rater``, ``first``, ``second_rater``, ``second``; answers ``yes``,
``no``, ``not_applicable``) and gives, per key question, per rater pair (the unordered pair of
names) and overall, a :class:`AgreementTable`: the counts table, n, the pairs agreeing, the
percent agreement, Cohen's kappa and Gwet's AC1 each with a 95% interval, and the list of
disagreements.

The figures, for a q x q table of proportions p_kl (row k: one rater, column l: the other),
row shares p_k., column shares p_.k and pa = sum_k p_kk:

- Cohen's kappa (Cohen 1960): pe = sum_k p_k. p_.k, kappa = (pa - pe) / (1 - pe). Its variance
  is the large-sample (delta-method) variance of Fleiss, Cohen & Everitt (1969), Psychol Bull
  72:323-327, written as Gwet (2014) does:
  v = [sum_kl p_kl (d_kl - (1 - kappa)(p_.k + p_l.))^2 - (pa - 2(1 - kappa) pe)^2]
  / (n (1 - pe)^2), d_kl = 1 on the diagonal, else 0.
- Gwet's AC1 (Gwet 2008, Br J Math Stat Psychol 61:29-48): pi_k = (p_k. + p_.k) / 2,
  pe = sum_k pi_k (1 - pi_k) / (q - 1), AC1 = (pa - pe) / (1 - pe); its variance is Gwet's
  (2008) linearised variance for two raters:
  v = [sum_kl p_kl (d_kl - 2(1 - AC1)(1 - (pi_k + pi_l)/2) / (q - 1))^2
  - (pa - 2(1 - AC1) pe)^2] / (n (1 - pe)^2).
- Both variances leave out the finite-population correction (1 - n/N). The 95% interval is
  the estimate +- t(0.975, n - 1) x the standard error, as Gwet's irrCAC package computes
  it, cut to [-1, 1]; with one pair (no degrees of freedom) there is no interval.

Edge cases: n = 0 gives None figures, with a reason; kappa is None (with the reason) when
the chance agreement is 1 (every answer of both raters in one category), while AC1 is 1.
With perfect agreement the variances are 0 and the interval is a point: read the counts.

Pure: pandas, numpy and the standard library; no I/O, no clock, no settings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import InputError, Problem
from .framework import ANSWERS
from .reasons import Reason
from .stats import beta_cdf

__all__ = [
    "COLUMNS",
    "Agreement",
    "AgreementTable",
    "Coefficient",
    "Disagreement",
    "agreement",
    "question_key",
    "t975",
]

COLUMNS = ("case_id", "question", "first_rater", "first", "second_rater", "second")
NO_PAIRS = "no second ratings to compare"
ONE_CATEGORY = (
    "kappa is undefined: both raters put every case in the same category, so the agreement "
    "expected by chance is 1"
)
ONE_PAIR = "one pair only: no interval"


@dataclass(frozen=True)
class Coefficient:
    """An agreement coefficient with its standard error and 95% interval.

    ``value`` is None when the coefficient cannot be computed, and ``reason`` says why;
    ``ci95`` is None when there is no interval (no pairs, or one only).
    """

    value: float | None
    se: float | None = None
    ci95: tuple[float, float] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Disagreement:
    """One case and key question where the first and the second answer differ."""

    case_id: str
    question: str
    first_rater: str
    first: str
    second_rater: str
    second: str


@dataclass(frozen=True)
class AgreementTable:
    """The agreement of one group of pairs (a key question, a rater pair, or all of them).

    ``counts[i][j]`` is the number of pairs the row rater answered ``categories[i]`` and the
    column rater ``categories[j]``; the rows are the first raters' answers (for a rater pair:
    the answers of ``raters[0]``, the names in alphabetical order).
    """

    question: str | None  # the key question, or None for a rater pair and overall
    raters: tuple[str, str] | None  # the rater pair, or None for a key question and overall
    categories: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    n: int
    agree: int
    percent: float | None
    kappa: Coefficient
    ac1: Coefficient
    disagreements: tuple[Disagreement, ...]

    def table(self) -> pd.DataFrame:
        """The counts table as a frame: rows the row rater's answers, columns the other's."""
        return pd.DataFrame(
            [list(r) for r in self.counts],
            index=pd.Index(self.categories, name=self._side(0)),
            columns=pd.Index(self.categories, name=self._side(1)),
        )

    def _side(self, i: int) -> str:
        if self.raters:
            return self.raters[i]
        return ("first rater", "second rater")[i]

    def as_json(self) -> dict:
        """The figures as plain values: n, agree, percent, kappa, ac1 and their intervals."""
        head = {"raters": list(self.raters)} if self.raters else {"question": self.question}
        return head | {
            "n": self.n,
            "agree": self.agree,
            "percent": self.percent,
            "kappa": self.kappa.value,
            "ac1": self.ac1.value,
            "kappa_ci95": list(self.kappa.ci95) if self.kappa.ci95 else None,
            "ac1_ci95": list(self.ac1.ci95) if self.ac1.ci95 else None,
        }


@dataclass(frozen=True)
class Agreement:
    """The agreement per key question, per rater pair and overall (see :func:`agreement`)."""

    questions: tuple[AgreementTable, ...]  # in key-question order
    pairs: tuple[AgreementTable, ...]  # in order of the pair's names
    overall: AgreementTable

    def question(self, question: str) -> AgreementTable | None:
        """The table of one key question, or None when it has no pairs."""
        return next((t for t in self.questions if t.question == question), None)

    def pair(self, a: str, b: str) -> AgreementTable | None:
        """The table of one rater pair (in either order), or None when they have no pairs."""
        wanted = tuple(sorted((a, b)))
        return next((t for t in self.pairs if t.raters == wanted), None)

    def as_json(self) -> dict:
        """``{"questions": [...], "pairs": [...], "overall": {...}}`` of table figures.

        Each entry is :meth:`AgreementTable.as_json` (``question`` or ``raters``, ``n``,
        ``agree``, ``percent``, ``kappa``, ``ac1``, ``kappa_ci95``, ``ac1_ci95``).
        """
        return {
            "questions": [t.as_json() for t in self.questions],
            "pairs": [t.as_json() for t in self.pairs],
            "overall": self.overall.as_json() | {"question": None},
        }


# -- the statistics ----------------------------------------------------------------------------


@lru_cache(maxsize=512)
def t975(df: int) -> float:
    """Student's t quantile at 0.975 (two-sided 95%) with ``df`` degrees of freedom.

    Parameters
    ----------
    df : int
        The degrees of freedom, 1 or more.

    Returns
    -------
    float
        t with P(T <= t) = 0.975, by bisection on P(T <= t) = 1 - I_x(df/2, 1/2) / 2,
        x = df / (df + t^2) (``workbook.stats.beta_cdf``).
    """
    if df < 1:
        raise ValueError("the degrees of freedom must be 1 or more")

    def below(t: float) -> bool:
        return 1 - beta_cdf(df / (df + t * t), df / 2, 0.5) / 2 < 0.975

    lo, hi = 0.0, 1.0
    while below(hi):
        lo, hi = hi, 2 * hi
    while hi - lo > 1e-12:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if below(mid) else (lo, mid)
    return (lo + hi) / 2


def _coefficient(value: float, p: np.ndarray, inner: np.ndarray, pe: float, n: int) -> Coefficient:
    """The coefficient with its linearised variance, standard error and 95% interval."""
    pa = float(np.trace(p))
    value = max(-1.0, min(1.0, value))  # round-off: 1.0000000000000002 is 1
    variance = (float((p * inner**2).sum()) - (pa - 2 * (1 - value) * pe) ** 2) / (
        n * (1 - pe) ** 2
    )
    se = math.sqrt(max(variance, 0.0))
    if n < 2:
        return Coefficient(value, se, None, ONE_PAIR)
    half = t975(n - 1) * se
    return Coefficient(value, se, (max(-1.0, value - half), min(1.0, value + half)))


def _kappa(p: np.ndarray, n: int) -> Coefficient:
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    pa, pe = float(np.trace(p)), float(rows @ cols)
    if 1 - pe < 1e-12:
        return Coefficient(None, reason=ONE_CATEGORY)
    kappa = (pa - pe) / (1 - pe)
    inner = np.eye(len(p)) - (1 - kappa) * (cols[:, None] + rows[None, :])
    return _coefficient(kappa, p, inner, pe, n)


def _ac1(p: np.ndarray, n: int) -> Coefficient:
    q = len(p)
    pi = (p.sum(axis=1) + p.sum(axis=0)) / 2
    pa, pe = float(np.trace(p)), float((pi * (1 - pi)).sum() / (q - 1))
    ac1 = (pa - pe) / (1 - pe)
    inner = np.eye(q) - 2 * (1 - ac1) * (1 - (pi[:, None] + pi[None, :]) / 2) / (q - 1)
    return _coefficient(ac1, p, inner, pe, n)


def _figures(counts: np.ndarray) -> tuple[int, int, float | None, Coefficient, Coefficient]:
    """n, agree, percent, kappa and AC1 of a q x q counts table."""
    n, agree = int(counts.sum()), int(np.trace(counts))
    if n == 0:
        none = Coefficient(None, reason=NO_PAIRS)
        return 0, 0, None, none, none
    p = counts / n
    return n, agree, 100 * agree / n, _kappa(p, n), _ac1(p, n)


# -- from the pairs to the tables ---------------------------------------------------------------


def _missing(value) -> bool:
    """No value: None, NaN, pandas' NA or NaT, or empty text."""
    return isinstance(value, str) and value == "" or not isinstance(value, str) and pd.isna(value)


def _problems(row: int, record) -> list[Problem]:
    """What is wrong with one pair: an answer that is not one, a rater with no name."""
    where = f"pair {row} (case {record.case_id}, {record.question})"
    found = [
        Problem(
            Reason.UNKNOWN_ANSWER,
            f"{where}: '{value}' is not an answer",
            column=column,
            value=value,
            allowed="yes, no, not_applicable",
        )
        for column, value in (("first", record.first), ("second", record.second))
        if value not in ANSWERS
    ]
    return found + [
        Problem(Reason.EMPTY_VALUE, f"{where}: no {column.replace('_', ' ')}", column=column)
        for column in ("first_rater", "second_rater")
        if not getattr(record, column)
    ]


def _checked(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs with both answers given, as text; a clear error for a bad column or value."""
    if not isinstance(pairs, pd.DataFrame):
        raise InputError("the rating pairs must be a table (a pandas DataFrame)")
    absent = [
        Problem(Reason.MISSING_COLUMN, f"the rating pairs have no column '{c}'", column=c)
        for c in COLUMNS
        if c not in pairs.columns
    ]
    if absent:
        raise InputError(absent)
    kept = pairs.loc[
        [
            not (_missing(a) or _missing(b))
            for a, b in zip(pairs["first"], pairs["second"], strict=True)
        ],
        list(COLUMNS),
    ]
    kept = kept.astype(object).map(lambda v: "" if _missing(v) else str(v))
    problems = [p for i, r in enumerate(kept.itertuples(index=False)) for p in _problems(i + 1, r)]
    if problems:
        raise InputError(problems)
    return kept


def question_key(question: str) -> tuple:
    """The sort key of a key question's id: ``"1.2.10"`` after ``"1.2.9"``.

    Parameters
    ----------
    question : str
        A key question's id.

    Returns
    -------
    tuple
        The key; a part that is not a number sorts after the numbers, as text.
    """
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"[.\s]+", question)
    )


def _categories(rows: pd.DataFrame, allowed: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Yes and no, and not applicable where a question allows it or an answer uses it."""
    used = set(rows["first"]) | set(rows["second"]) | {"yes", "no"}
    for question in set(rows["question"]):
        used |= set(allowed.get(question, ()))
    return tuple(a for a in ANSWERS if a in used)


def _table(
    rows: pd.DataFrame,
    categories: tuple[str, ...],
    question: str | None = None,
    raters: tuple[str, str] | None = None,
) -> AgreementTable:
    index = {c: i for i, c in enumerate(categories)}
    counts = np.zeros((len(categories), len(categories)), dtype=int)
    for record in rows.itertuples(index=False):
        a, b = record.first, record.second
        if raters and record.first_rater != raters[0]:
            a, b = b, a
        counts[index[a], index[b]] += 1
    n, agree, percent, kappa, ac1 = _figures(counts)
    differ = [Disagreement(*r) for r in rows.itertuples(index=False) if r.first != r.second]
    differ.sort(key=lambda d: (question_key(d.question), d.case_id))
    counts = tuple(tuple(int(v) for v in row) for row in counts)
    return AgreementTable(
        question, raters, categories, counts, n, agree, percent, kappa, ac1, tuple(differ)
    )


def agreement(
    pairs: pd.DataFrame, categories: Mapping[str, Sequence[str]] | None = None
) -> Agreement:
    """The agreement of first and second raters per key question, per rater pair and overall.

    Parameters
    ----------
    pairs : pandas.DataFrame
        One row per second rating, columns ``case_id``, ``question``, ``first_rater``,
        ``first``, ``second_rater``, ``second`` (answers ``yes``, ``no``,
        ``not_applicable``); a row where either answer is missing is left out.
    categories : mapping of str to sequence of str, optional
        The answers each key question allows (such as ``KeyQuestion.allowed_answers``). AC1
        depends on the number of categories the raters could choose from: a table has yes
        and no, and not applicable where a question allows it or an answer in the table uses
        it. A rater pair's and the overall table take the categories of all their questions.

    Returns
    -------
    Agreement
        The tables per key question (in id order), per rater pair (the unordered pair of
        names, alphabetical) and overall; with no pairs, the overall table has n = 0 and no
        figures.

    Raises
    ------
    InputError
        If a column is missing (``MISSING_COLUMN``), an answer is not yes, no or
        not_applicable (``UNKNOWN_ANSWER``) or a rater's name is empty (``EMPTY_VALUE``).
    """
    rows = _checked(pairs)
    allowed = dict(categories or {})
    questions = tuple(
        _table(group, _categories(group, allowed), question=question)
        for question, group in sorted(
            rows.groupby("question", sort=False), key=lambda g: question_key(g[0])
        )
    )
    names = [sorted(p) for p in zip(rows["first_rater"], rows["second_rater"], strict=True)]
    by_pair = rows.assign(_a=[a for a, _ in names], _b=[b for _, b in names])
    pair_tables = tuple(
        _table(group[list(COLUMNS)], _categories(group, allowed), raters=(a, b))
        for (a, b), group in by_pair.groupby(["_a", "_b"], sort=True)
    )
    overall = _table(rows, _categories(rows, allowed))
    return Agreement(questions=questions, pairs=pair_tables, overall=overall)
