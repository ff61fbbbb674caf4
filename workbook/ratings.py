"""The ratings engine: a pure function of (framework, judgements, decisions).

- A key question's figure is yes / (yes + no) over the cases it applies to; not-applicable
  answers are counted and reported but are not in the denominator. No answers: no rating.
- Bands come from the framework's thresholds and its rounding policy (``half_up``: band the
  percentage rounded half-up to a whole number, as reports print it; ``exact``: band the exact
  fraction).
- A standard takes the lowest band of its key questions, unless a professional-discretion
  decision sets it (footnoted). A judged standard (domain one) takes its judged rating.
- Overall: points per standard rating, summed over the counted standards, banded by the
  framework's cut points scaled to the number of standards.
- Breakdowns (by LDU or any case attribute) follow the same rules, without discretion, and
  flag a margin of error above 5 percentage points.

Counting is done once into a :class:`Tally` (numpy arrays); one changed judgement updates the
tally and re-rates only its key question, its standard and the overall (:func:`update_ratings`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from .framework import ANSWERS, Framework

Z80 = NormalDist().inv_cdf(0.90)  # two-sided 80%: 1.2816
Z95 = NormalDist().inv_cdf(0.975)  # two-sided 95%: 1.9600
MARGIN_FLAG = 5.0  # percentage points; the report's design margin
NOT_RECORDED = "not recorded"
_YES, _NO, _NA = 0, 1, 2


# -- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    case_id: str
    question: str
    answer: str  # yes, no, not_applicable


@dataclass(frozen=True)
class Decision:
    """A standard's rating set by the inspectors: professional discretion (a case-rated
    standard) or a judged rating with its evidence (a domain-one standard)."""

    standard: str
    rating: str
    reason: str
    by: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class KQResult:
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
        return self.yes + self.no


@dataclass(frozen=True)
class StandardResult:
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
        if self.discretion:
            return f"professional discretion: {self.discretion.reason}"
        if self.judged:
            return f"judged: {self.judged.reason}"
        if self.lowest_kqs:
            return f"lowest key-question band ({', '.join(self.lowest_kqs)})"
        return "no answers yet"


@dataclass(frozen=True)
class OverallResult:
    points: int
    max_points: int
    rating: str | None  # None until every counted standard has a rating
    n_standards: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupRatings:
    label: str
    n_cases: int
    key_questions: Mapping[str, KQResult]
    standards: Mapping[str, StandardResult]


@dataclass(frozen=True)
class GroupCounts:
    labels: tuple[str, ...]
    counts: np.ndarray  # (groups, key questions, 3 answers)
    case_counts: tuple[int, ...]


@dataclass(frozen=True)
class Tally:
    """Answer counts per key question, overall and per breakdown group."""

    kq_ids: tuple[str, ...]
    counts: np.ndarray  # (key questions, 3): yes, no, not_applicable
    breakdowns: Mapping[str, GroupCounts] = field(default_factory=dict)
    case_groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.kq_ids)}

    def with_change(self, case_id: str, question: str, old: str | None, new: str | None) -> Tally:
        """A new tally with one judgement changed from ``old`` to ``new`` (None: no answer)."""
        if old == new:
            return self
        q = self.kq_ids.index(question)
        counts = self.counts.copy()
        delta = np.zeros(3, dtype=counts.dtype)
        if old is not None:
            delta[ANSWERS.index(old)] -= 1
        if new is not None:
            delta[ANSWERS.index(new)] += 1
        counts[q] += delta
        breakdowns = {}
        for attr, gc in self.breakdowns.items():
            label = self.case_groups.get(attr, {}).get(case_id, NOT_RECORDED)
            labels, gcounts, case_counts = gc.labels, gc.counts, gc.case_counts
            if label not in labels:
                labels = labels + (label,)
                gcounts = np.concatenate(
                    [gcounts, np.zeros((1,) + gcounts.shape[1:], gcounts.dtype)]
                )
                case_counts = case_counts + (1,)
            else:
                gcounts = gcounts.copy()
            gcounts[labels.index(label), q] += delta
            breakdowns[attr] = GroupCounts(labels, gcounts, case_counts)
        return replace(self, counts=counts, breakdowns=breakdowns)


@dataclass(frozen=True)
class Ratings:
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
    """The band of a key question with ``yes`` and ``no`` answers; None without answers."""
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


def wilson_interval(yes: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval for yes/n, in percentages; always contains the estimate."""
    p = yes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    return (100 * min(lo, p), 100 * max(hi, p))


def margin_of_error(n: int, z: float = Z80, population: int | None = None) -> float:
    """Design margin of error at p = 0.5, percentage points (finite-population corrected when
    the population is known)."""
    m = 100 * z * 0.5 / math.sqrt(n)
    if population and population > 1 and n <= population:
        m *= math.sqrt((population - n) / (population - 1))
    return m


def rate_overall_points(framework: Framework, points: int, n_standards: int) -> str:
    """The overall band of ``points`` summed over ``n_standards`` standards."""
    rating = framework.overall_bands[0].rating
    for band in framework.overall_bands[1:]:
        if points > band.above * n_standards:
            rating = band.rating
    return rating


def rate_overall(framework: Framework, ratings: Sequence[str]) -> OverallResult:
    """Points and band for a list of standard ratings (any number of standards)."""
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


# -- counting --------------------------------------------------------------------------------


def _judgement_frame(judgements) -> pd.DataFrame:
    if isinstance(judgements, pd.DataFrame):
        return judgements
    rows = list(judgements)
    return pd.DataFrame(
        {
            "case_id": [j.case_id for j in rows],
            "question": [j.question for j in rows],
            "answer": [j.answer for j in rows],
        }
    )


def tally_judgements(
    framework: Framework,
    judgements: pd.DataFrame | Iterable[Judgement],
    cases: pd.DataFrame | None = None,
    by: Sequence[str] = (),
) -> Tally:
    """Count answers per key question, and per group of each case attribute in ``by``.

    ``judgements`` has columns case_id, question, answer (canonical answers, already validated);
    ``cases`` has case_id and the attributes named in ``by``.
    """
    frame = _judgement_frame(judgements)
    kq_ids = tuple(q.id for q in framework.rated_key_questions)
    nq = len(kq_ids)
    q_codes = pd.Categorical(frame["question"], categories=kq_ids).codes.astype(np.int64)
    a_codes = pd.Categorical(frame["answer"], categories=ANSWERS).codes.astype(np.int64)
    if len(frame) and (q_codes.min() < 0 or a_codes.min() < 0):
        bad = (
            frame["question"][q_codes < 0].head(3).tolist()
            + frame["answer"][a_codes < 0].head(3).tolist()
        )
        raise ValueError(f"unknown key question or answer in judgements: {bad}")
    flat = q_codes * 3 + a_codes
    counts = np.bincount(flat, minlength=nq * 3).reshape(nq, 3)
    breakdowns: dict[str, GroupCounts] = {}
    case_groups: dict[str, dict[str, str]] = {}
    if by:
        if cases is None:
            raise ValueError("a breakdown needs the cases and their attributes")
        case_index = pd.Index(cases["case_id"].astype(str))
        pos = case_index.get_indexer(frame["case_id"].astype(str))
        for attr in by:
            if attr not in cases.columns:
                raise ValueError(f"the cases have no attribute {attr!r}")
            values = (
                cases[attr]
                .astype("string")
                .fillna(NOT_RECORDED)
                .str.strip()
                .replace("", NOT_RECORDED)
            )
            g_codes_case, labels = pd.factorize(values, sort=True)
            labels = tuple(str(x) for x in labels)
            g = np.where(pos >= 0, g_codes_case[np.clip(pos, 0, None)], -1)
            if (g < 0).any():
                labels = labels + (NOT_RECORDED,) if NOT_RECORDED not in labels else labels
                g = np.where(g < 0, labels.index(NOT_RECORDED), g)
            ng = len(labels)
            gcounts = np.bincount(g * (nq * 3) + flat, minlength=ng * nq * 3).reshape(ng, nq, 3)
            case_counts = np.bincount(g_codes_case, minlength=ng)
            breakdowns[attr] = GroupCounts(labels, gcounts, tuple(int(c) for c in case_counts))
            case_groups[attr] = dict(zip(case_index, values.to_numpy(), strict=True))
    return Tally(kq_ids, counts, breakdowns, case_groups)


# -- rating ----------------------------------------------------------------------------------


def _decision_map(decisions: Iterable[Decision]) -> dict[str, Decision]:
    return {d.standard: d for d in decisions}


def rate_tally(
    framework: Framework,
    tally: Tally,
    decisions: Iterable[Decision] = (),
    rounding: str | None = None,
) -> Ratings:
    """Rate a tally: every key question, standard, the overall rating and every breakdown."""
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
    """Rate an inspection from its judgements and decisions (see the module's notes)."""
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
    """Ratings after one judgement changed, re-rating only what it touches."""
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


# -- distance to the next band ------------------------------------------------------------------


@dataclass(frozen=True)
class BandDistance:
    question: str
    band: str | None
    better_band: str | None
    more_yes_to_lift: int | None  # Yes answers on cases still to be assessed
    no_to_yes_to_lift: int | None  # No answers changed to Yes
    worse_band: str | None
    more_no_to_drop: int | None
    yes_to_no_to_drop: int | None

    def describe(self) -> str:
        if self.band is None:
            return f"{self.question} has no answers yet"
        parts = []
        if not self.better_band:
            parts.append(f"{self.question} is at the top band")
        elif self.more_yes_to_lift is not None:
            parts.append(
                f"{self.more_yes_to_lift} more Yes would lift {self.question} to {self.better_band}"
            )
        elif self.no_to_yes_to_lift is not None:
            parts.append(
                f"{self.no_to_yes_to_lift} No changed to Yes would lift {self.question} to {self.better_band}"
            )
        else:
            parts.append(f"no change in answers lifts {self.question} to {self.better_band}")
        if self.worse_band and self.more_no_to_drop is not None:
            parts.append(f"{self.more_no_to_drop} more No would drop it to {self.worse_band}")
        elif self.worse_band and self.yes_to_no_to_drop is not None:
            parts.append(
                f"{self.yes_to_no_to_drop} Yes changed to No would drop it to {self.worse_band}"
            )
        return "; ".join(parts)


def _smallest(pred, upper: int) -> int | None:
    """Smallest k in 1..upper with pred(k) true, for a predicate monotone in k."""
    if upper < 1 or not pred(upper):
        return None
    lo, hi = 1, upper
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _rank(framework: Framework, yes: int, no: int, rounding: str) -> int | None:
    band = rate_percentage(framework, yes, no, rounding)
    return None if band is None else framework.rank(band)


def changes_to_reach(
    framework: Framework,
    yes: int,
    no: int,
    target_rank: int,
    how: str,
    rounding: str | None = None,
    remaining: int | None = None,
) -> int | None:
    """Fewest answers that bring a KQ with ``yes``/``no`` to at least (or, dropping, below)
    ``target_rank``. ``how``: 'more_yes', 'no_to_yes', 'more_no', 'yes_to_no'."""
    r = rounding or framework.rounding
    big = 100 * (yes + no + 1) + 100
    if how == "more_yes":
        up = big if remaining is None else remaining
        return _smallest(lambda k: (_rank(framework, yes + k, no, r) or 0) >= target_rank, up)
    if how == "no_to_yes":
        return _smallest(lambda k: (_rank(framework, yes + k, no - k, r) or 0) >= target_rank, no)
    if how == "more_no":
        up = big if remaining is None else remaining
        return _smallest(lambda k: _rank(framework, yes, no + k, r) < target_rank, up)
    if how == "yes_to_no":
        return _smallest(lambda k: _rank(framework, yes - k, no + k, r) < target_rank, yes)
    raise ValueError(how)


def band_distance(
    framework: Framework,
    result: KQResult,
    rounding: str | None = None,
    remaining: int | None = None,
) -> BandDistance:
    """How many answers would move a key question one band up or down."""
    if result.band is None:
        return BandDistance(result.id, None, None, None, None, None, None, None)
    rank = framework.rank(result.band)
    top = len(framework.ratings) - 1
    better = framework.ratings[top - rank - 1] if rank < top else None
    worse = framework.ratings[top - rank + 1] if rank > 0 else None
    y, n = result.yes, result.no
    return BandDistance(
        result.id,
        result.band,
        better,
        changes_to_reach(framework, y, n, rank + 1, "more_yes", rounding, remaining)
        if better
        else None,
        changes_to_reach(framework, y, n, rank + 1, "no_to_yes", rounding) if better else None,
        worse,
        changes_to_reach(framework, y, n, rank, "more_no", rounding, remaining) if worse else None,
        changes_to_reach(framework, y, n, rank, "yes_to_no", rounding) if worse else None,
    )


@dataclass(frozen=True)
class StandardChange:
    standard: str
    rating: str | None
    lift_to: str | None
    changes_to_lift: int | None  # No answers changed to Yes, across the lowest KQs
    lift_detail: tuple[tuple[str, int], ...]
    drop_to: str | None
    changes_to_drop: int | None  # Yes answers changed to No, on one KQ
    drop_detail: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        parts = []
        if self.lift_to and self.changes_to_lift is not None:
            detail = ", ".join(f"{n} on {q}" for q, n in self.lift_detail)
            parts.append(
                f"{self.changes_to_lift} No changed to Yes ({detail}) would lift {self.standard} to {self.lift_to}"
            )
        if self.drop_to and self.changes_to_drop is not None:
            detail = ", ".join(f"{n} on {q}" for q, n in self.drop_detail)
            parts.append(
                f"{self.changes_to_drop} Yes changed to No ({detail}) would drop it to {self.drop_to}"
            )
        return "; ".join(parts) or f"{self.standard}: no change in answers moves it a band"


def standard_change(framework: Framework, ratings: Ratings, standard_id: str) -> StandardChange:
    """The smallest change in answers that would move a case-rated standard's lowest-band
    rating one band up or down (discretion aside)."""
    s = ratings.standards[standard_id]
    band = s.lowest_kq_band
    if band is None:
        return StandardChange(standard_id, None, None, None, (), None, None, ())
    rank = framework.rank(band)
    top = len(framework.ratings) - 1
    lift_to = framework.ratings[top - rank - 1] if rank < top else None
    drop_to = framework.ratings[top - rank + 1] if rank > 0 else None
    kqs = [ratings.key_questions[q.id] for q in framework.standard(standard_id).key_questions]
    lift = None
    lift_detail: list[tuple[str, int]] = []
    if lift_to:
        total = 0
        for r in kqs:
            if r.band is not None and framework.rank(r.band) == rank:
                k = changes_to_reach(
                    framework, r.yes, r.no, rank + 1, "no_to_yes", ratings.rounding
                )
                if k is None:
                    total = None
                    break
                total += k
                lift_detail.append((r.id, k))
        lift = total
    drop = None
    drop_detail: tuple[tuple[str, int], ...] = ()
    if drop_to:
        options = []
        for r in kqs:
            if r.band is None:
                continue
            k = changes_to_reach(framework, r.yes, r.no, rank, "yes_to_no", ratings.rounding)
            if k is not None:
                options.append((k, r.id))
        if options:
            k, q = min(options)
            drop, drop_detail = k, ((q, k),)
    return StandardChange(
        standard_id,
        s.rating,
        lift_to,
        lift,
        tuple(lift_detail) if lift is not None else (),
        drop_to,
        drop,
        drop_detail,
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
