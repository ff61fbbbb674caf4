"""The ratings engine: rating a tally of answers, and updating it one judgement at a time.

The rules are stated in :mod:`workbook.ratings`. Key questions are banded by
:func:`rate_percentage`, standards take their lowest band (or a decision), the overall rating
sums points; :func:`update_ratings` re-rates only what one changed judgement touches and
:func:`with_decisions` only the standards and the overall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ..framework import Framework
from ..judgements import Decision, Judgement
from ..stats import MARGIN_FLAG, Z80, Z95, margin_of_error, wilson_interval
from .tally import NOT_RECORDED, GroupCounts, Tally, tally_judgements

__all__ = [
    "GroupRatings",
    "KQResult",
    "OverallResult",
    "Ratings",
    "StandardResult",
    "overall_cut_points",
    "rate",
    "rate_overall",
    "rate_overall_points",
    "rate_percentage",
    "rate_tally",
    "ratings_to_dict",
    "round_half_up",
    "update_ratings",
    "with_decisions",
]

# -- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KQResult:
    """A key question's answers, figure, band and margins (whole sample or one group)."""

    id: str
    standard: str
    yes: int
    no: int
    not_applicable: int
    pct: float | None  # exact percentage, 0-100
    pct_rounded: int | None  # as printed: rounded half-up to a whole number
    band: str | None
    ci80: tuple[float, float] | None  # Wilson interval, percentages
    ci95: tuple[float, float] | None
    margin80: float | None  # design margin of error at 80% (p = 0.5), percentage points
    flagged: bool = False  # a breakdown whose margin exceeds 5 points

    @property
    def n(self) -> int:
        """Yes and No answers: the denominator of the figure."""
        return self.yes + self.no


@dataclass(frozen=True)
class StandardResult:
    """A standard's rating and how it was reached (lowest band, discretion or judgement)."""

    id: str
    name: str
    domain: str
    rated_from: str
    rating: str | None
    lowest_kq_band: str | None
    lowest_kqs: tuple[str, ...] = ()
    discretion: Decision | None = None
    judged: Decision | None = None
    counts_in_overall: bool = True
    incomplete: bool = False  # some key questions have no answers yet

    @property
    def reason(self) -> str:
        """How the rating was reached, in words."""
        if self.discretion:
            return f"professional discretion: {self.discretion.reason}"
        if self.judged:
            return f"judged: {self.judged.reason}"
        if self.lowest_kqs:
            return f"lowest key-question band ({', '.join(self.lowest_kqs)})"
        return "no answers yet"


@dataclass(frozen=True)
class OverallResult:
    """The overall points and rating; the rating is None while a counted standard has none."""

    points: int
    max_points: int
    rating: str | None  # None until every counted standard has a rating
    n_standards: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupRatings:
    """The ratings of one group of a breakdown (such as one LDU), without discretion."""

    label: str
    n_cases: int
    key_questions: Mapping[str, KQResult]
    standards: Mapping[str, StandardResult]


@dataclass(frozen=True)
class Ratings:
    """Everything rated: key questions, standards, overall, breakdowns, and the tally."""

    framework_id: str
    key_questions: Mapping[str, KQResult]
    standards: Mapping[str, StandardResult]
    overall: OverallResult
    breakdowns: Mapping[str, Mapping[str, GroupRatings]]
    decisions: tuple[Decision, ...]
    tally: Tally
    rounding: str


# -- arithmetic ------------------------------------------------------------------------------


def round_half_up(yes: int, n: int) -> int:
    """100 * yes / n rounded half-up to a whole number, in exact integer arithmetic."""
    return (200 * yes + n) // (2 * n)


def rate_percentage(
    framework: Framework, yes: int, no: int, rounding: str | None = None
) -> str | None:
    """The band of a key question with ``yes`` and ``no`` answers; None without answers.

    Parameters
    ----------
    framework : Framework
        The framework whose thresholds band the figure.
    yes, no : int
        Yes and No answers (not-applicable answers are not in the figure).
    rounding : str, optional
        ``"half_up"`` (band the percentage as printed) or ``"exact"``; the framework's own
        policy by default.

    Returns
    -------
    str or None
        The rating of the band.
    """
    n = yes + no
    if n == 0:
        return None
    rounding = rounding or framework.rounding
    if rounding == "half_up":
        pct = round_half_up(yes, n)
        for t in framework.thresholds:
            if pct >= t.min_pct:
                return t.rating
    else:
        for t in framework.thresholds:
            if 100 * yes >= t.min_pct * n:
                return t.rating
    return framework.thresholds[-1].rating


def rate_overall_points(framework: Framework, points: int, n_standards: int) -> str:
    """The overall band of ``points`` summed over ``n_standards`` standards."""
    rating = framework.overall_bands[0].rating
    for band in framework.overall_bands[1:]:
        if points > band.above * n_standards:
            rating = band.rating
    return rating


def rate_overall(framework: Framework, ratings: Sequence[str]) -> OverallResult:
    """Points and band for a list of standard ratings (any number of standards).

    Raises
    ------
    ValueError
        If one of ``ratings`` is not a rating of the framework.
    """
    unknown = [r for r in ratings if r not in framework.points]
    if unknown:
        raise ValueError(f"not a rating: {', '.join(map(repr, unknown))}")
    points = sum(framework.points[r] for r in ratings)
    best = max(framework.points.values())
    return OverallResult(
        points,
        best * len(ratings),
        rate_overall_points(framework, points, len(ratings)),
        len(ratings),
    )


def overall_cut_points(framework: Framework, n_standards: int) -> list[tuple[str, int, int]]:
    """(rating, lowest points, highest points) for each overall band, lowest first."""
    top = max(framework.points.values()) * n_standards
    rows, lo = [], 0
    bands = framework.overall_bands
    for i, band in enumerate(bands):
        hi = top if i == len(bands) - 1 else math.floor(bands[i + 1].above * n_standards + 1e-9)
        rows.append((band.rating, lo, hi))
        lo = hi + 1
    return rows


def _kq_result(framework, kq_id, standard, counts, rounding, breakdown=False) -> KQResult:
    yes, no, na = int(counts[0]), int(counts[1]), int(counts[2])
    n = yes + no
    if n == 0:
        return KQResult(kq_id, standard, yes, no, na, None, None, None, None, None, None, False)
    margin = margin_of_error(n)
    return KQResult(
        kq_id,
        standard,
        yes,
        no,
        na,
        pct=100 * yes / n,
        pct_rounded=round_half_up(yes, n),
        band=rate_percentage(framework, yes, no, rounding),
        ci80=wilson_interval(yes, n, Z80),
        ci95=wilson_interval(yes, n, Z95),
        margin80=margin,
        flagged=breakdown and margin > MARGIN_FLAG,
    )


def _standard_result(
    framework: Framework, standard, kq_results: Mapping[str, KQResult], decision: Decision | None
) -> StandardResult:
    if standard.rated_from == "judgement":
        return StandardResult(
            standard.id,
            standard.name,
            standard.domain_id,
            "judgement",
            rating=decision.rating if decision else None,
            lowest_kq_band=None,
            judged=decision,
            counts_in_overall=standard.counts_in_overall,
            incomplete=decision is None,
        )
    bands = [(kq_results[q.id].band, q.id) for q in standard.key_questions if q.id in kq_results]
    rated = [(b, q) for b, q in bands if b is not None]
    lowest = None
    lowest_kqs: tuple[str, ...] = ()
    if rated:
        worst = min(framework.rank(b) for b, _ in rated)
        lowest = framework.ratings[len(framework.ratings) - 1 - worst]
        lowest_kqs = tuple(q for b, q in rated if b == lowest)
    return StandardResult(
        standard.id,
        standard.name,
        standard.domain_id,
        "cases",
        rating=decision.rating if decision else lowest,
        lowest_kq_band=lowest,
        lowest_kqs=lowest_kqs,
        discretion=decision,
        counts_in_overall=standard.counts_in_overall,
        incomplete=len(rated) < len(standard.key_questions),
    )


def _overall(framework: Framework, standards: Mapping[str, StandardResult]) -> OverallResult:
    counted = [s for s in standards.values() if s.counts_in_overall]
    missing = tuple(s.id for s in counted if s.rating is None)
    points = sum(framework.points[s.rating] for s in counted if s.rating is not None)
    best = max(framework.points.values())
    rating = None if missing else rate_overall_points(framework, points, len(counted))
    return OverallResult(points, best * len(counted), rating, len(counted), missing)


# -- rating ----------------------------------------------------------------------------------


def _decision_map(decisions: Iterable[Decision]) -> dict[str, Decision]:
    return {d.standard: d for d in decisions}


def rate_tally(
    framework: Framework,
    tally: Tally,
    decisions: Iterable[Decision] = (),
    rounding: str | None = None,
) -> Ratings:
    """Rate a tally: every key question, standard, the overall rating and every breakdown.

    Parameters
    ----------
    framework : Framework
        The framework rated.
    tally : Tally
        The answer counts (see :func:`workbook.tally.tally_judgements`).
    decisions : iterable of Decision
        Professional-discretion and judged-standard decisions, at most one per standard.
    rounding : str, optional
        The rounding policy; the framework's by default.

    Returns
    -------
    Ratings
        The ratings, keeping the tally for :func:`update_ratings`.
    """
    rounding = rounding or framework.rounding
    decisions = tuple(decisions)
    dmap = _decision_map(decisions)
    std_of = {q.id: q.standard_id for q in framework.rated_key_questions}
    kqs = {
        k: _kq_result(framework, k, std_of[k], tally.counts[i], rounding)
        for i, k in enumerate(tally.kq_ids)
    }
    standards = {
        s.id: _standard_result(framework, s, kqs, dmap.get(s.id)) for s in framework.standards
    }
    breakdowns = {
        attr: {
            label: _group_ratings(framework, tally, gc, gi, rounding, std_of)
            for gi, label in enumerate(gc.labels)
        }
        for attr, gc in tally.breakdowns.items()
    }
    return Ratings(
        framework.id,
        kqs,
        standards,
        _overall(framework, standards),
        breakdowns,
        decisions,
        tally,
        rounding,
    )


def _group_ratings(framework, tally, gc: GroupCounts, gi: int, rounding, std_of) -> GroupRatings:
    kqs = {
        k: _kq_result(framework, k, std_of[k], gc.counts[gi, i], rounding, breakdown=True)
        for i, k in enumerate(tally.kq_ids)
    }
    standards = {
        s.id: _standard_result(framework, s, kqs, None)
        for s in framework.standards
        if s.rated_from == "cases"
    }
    n_cases = gc.case_counts[gi] if gi < len(gc.case_counts) else 0
    return GroupRatings(gc.labels[gi], n_cases, kqs, standards)


def rate(
    framework: Framework,
    judgements: pd.DataFrame | Iterable[Judgement],
    decisions: Iterable[Decision] = (),
    cases: pd.DataFrame | None = None,
    by: Sequence[str] = (),
    rounding: str | None = None,
) -> Ratings:
    """Rate an inspection from its judgements and decisions (see the module's notes).

    Parameters
    ----------
    framework : Framework
        The framework rated.
    judgements : DataFrame or iterable of Judgement
        Answered judgements: case_id, question, answer (canonical answers, already checked).
    decisions : iterable of Decision
        Professional-discretion and judged-standard decisions, at most one per standard.
    cases : DataFrame, optional
        The cases with case_id and the attributes named in ``by``; needed for a breakdown.
    by : sequence of str
        Case attributes to break the ratings down by, such as ``("ldu",)``.
    rounding : str, optional
        The rounding policy; the framework's by default.

    Returns
    -------
    Ratings
        Key questions, standards, overall and breakdowns.

    Raises
    ------
    ValueError
        If a judgement names an unknown key question or answer, or a breakdown lacks cases.
    """
    return rate_tally(
        framework, tally_judgements(framework, judgements, cases, by), decisions, rounding
    )


def update_ratings(
    framework: Framework,
    ratings: Ratings,
    case_id: str,
    question: str,
    old: str | None,
    new: str | None,
) -> Ratings:
    """Ratings after one judgement changed, re-rating only what it touches.

    Parameters
    ----------
    framework : Framework
        The framework rated.
    ratings : Ratings
        The ratings before the change; not changed.
    case_id, question : str
        The judgement that changed.
    old, new : str or None
        The answer before and after (None: no answer).

    Returns
    -------
    Ratings
        New ratings, equal to rating every judgement again.
    """
    if old == new:
        return ratings
    tally = ratings.tally.with_change(case_id, question, old, new)
    i = tally.kq_ids.index(question)
    kq = framework.key_question(question)
    standard = framework.standard(kq.standard_id)
    dmap = _decision_map(ratings.decisions)
    kqs = dict(ratings.key_questions)
    kqs[question] = _kq_result(
        framework, question, kq.standard_id, tally.counts[i], ratings.rounding
    )
    standards = dict(ratings.standards)
    standards[standard.id] = _standard_result(framework, standard, kqs, dmap.get(standard.id))
    breakdowns = {}
    for attr, groups in ratings.breakdowns.items():
        gc = tally.breakdowns[attr]
        label = tally.case_groups.get(attr, {}).get(case_id, NOT_RECORDED)
        gi = gc.labels.index(label)
        groups = dict(groups)
        old_group = groups.get(label)
        if old_group is None:
            std_of = {q.id: q.standard_id for q in framework.rated_key_questions}
            groups[label] = _group_ratings(framework, tally, gc, gi, ratings.rounding, std_of)
        else:
            gkqs = dict(old_group.key_questions)
            gkqs[question] = _kq_result(
                framework,
                question,
                kq.standard_id,
                gc.counts[gi, i],
                ratings.rounding,
                breakdown=True,
            )
            gstd = dict(old_group.standards)
            gstd[standard.id] = _standard_result(framework, standard, gkqs, None)
            groups[label] = replace(old_group, key_questions=gkqs, standards=gstd)
        breakdowns[attr] = groups
    return replace(
        ratings,
        key_questions=kqs,
        standards=standards,
        overall=_overall(framework, standards),
        breakdowns=breakdowns,
        tally=tally,
    )


def with_decisions(
    framework: Framework, ratings: Ratings, decisions: Iterable[Decision]
) -> Ratings:
    """Ratings with a new set of decisions (standards and overall re-rated; counts kept)."""
    decisions = tuple(decisions)
    dmap = _decision_map(decisions)
    standards = {
        s.id: _standard_result(framework, s, ratings.key_questions, dmap.get(s.id))
        for s in framework.standards
    }
    return replace(
        ratings, standards=standards, overall=_overall(framework, standards), decisions=decisions
    )


# -- plain data ------------------------------------------------------------------------------


def _kq_dict(r: KQResult) -> dict[str, Any]:
    return {
        "id": r.id,
        "standard": r.standard,
        "yes": r.yes,
        "no": r.no,
        "not_applicable": r.not_applicable,
        "n": r.n,
        "pct": r.pct_rounded,
        "pct_exact": None if r.pct is None else round(r.pct, 4),
        "band": r.band,
        "ci80": None if r.ci80 is None else [round(x, 2) for x in r.ci80],
        "ci95": None if r.ci95 is None else [round(x, 2) for x in r.ci95],
        "margin80": None if r.margin80 is None else round(r.margin80, 2),
        "flagged": r.flagged,
    }


def _decision_dict(d: Decision | None) -> dict | None:
    if d is None:
        return None
    return {"rating": d.rating, "reason": d.reason}


def ratings_to_dict(framework: Framework, ratings: Ratings) -> dict[str, Any]:
    """The documented JSON shape of a rating (see README, "JSON output")."""
    return {
        "framework": {
            "id": framework.id,
            "version": framework.version,
            "rounding": ratings.rounding,
        },
        "key_questions": [_kq_dict(r) for r in ratings.key_questions.values()],
        "standards": [
            {
                "id": s.id,
                "name": s.name,
                "domain": s.domain,
                "rated_from": s.rated_from,
                "rating": s.rating,
                "lowest_kq_band": s.lowest_kq_band,
                "discretion": _decision_dict(s.discretion),
                "judged": _decision_dict(s.judged),
                "counts_in_overall": s.counts_in_overall,
            }
            for s in ratings.standards.values()
        ],
        "overall": {
            "points": ratings.overall.points,
            "max_points": ratings.overall.max_points,
            "rating": ratings.overall.rating,
            "missing": list(ratings.overall.missing),
        },
        "breakdowns": {
            attr: {
                label: {
                    "n_cases": g.n_cases,
                    "key_questions": [_kq_dict(r) for r in g.key_questions.values()],
                    "standards": [
                        {"id": s.id, "rating": s.rating, "lowest_kq_band": s.lowest_kq_band}
                        for s in g.standards.values()
                    ],
                }
                for label, g in groups.items()
            }
            for attr, groups in ratings.breakdowns.items()
        },
    }
