"""What would move a band: the fewest answers that lift or drop a key question or a standard.

- :func:`band_distance`: for one key question, how many more Yes answers (on cases still to
  be assessed) or No answers changed to Yes would lift it one band, and how many more No
  answers or Yes answers changed to No would drop it one band.
- :func:`standard_change`: for a case-rated standard, the No answers changed to Yes across its
  lowest-band key questions that would lift its lowest-band rating, and the fewest Yes answers
  changed to No, on one key question, that would drop it (professional discretion aside).

Each count is the smallest one that moves the band under the framework's thresholds and
rounding policy, found by bisection: the band only rises as Yes answers are added.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..framework import Framework
from .engine import KQResult, Ratings, rate_percentage

__all__ = ["BandDistance", "StandardChange", "band_distance", "changes_to_reach", "standard_change"]


@dataclass(frozen=True)
class BandDistance:
    """The answers that would move one key question a band up or down.

    A count is None where no such change moves the band (or the band is already the top or
    the bottom one).
    """

    question: str
    band: str | None
    better_band: str | None
    more_yes_to_lift: int | None  # Yes answers on cases still to be assessed
    no_to_yes_to_lift: int | None  # No answers changed to Yes
    worse_band: str | None
    more_no_to_drop: int | None
    yes_to_no_to_drop: int | None

    def describe(self) -> str:
        """The distance in words, such as "3 more Yes would lift 2.1.3 to Good"."""
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
    """The fewest answers that bring a key question to (or, dropping, below) a band.

    Parameters
    ----------
    framework : Framework
        The framework whose thresholds band the figure.
    yes, no : int
        The key question's Yes and No answers now.
    target_rank : int
        The rank to reach (``Framework.rank``: 0 is the worst band); dropping, the rank to
        fall below.
    how : {'more_yes', 'no_to_yes', 'more_no', 'yes_to_no'}
        The kind of change: answers added, or answers changed.
    rounding : str, optional
        The rounding policy; the framework's by default.
    remaining : int, optional
        Cases still to be assessed: the most answers that can be added.

    Returns
    -------
    int or None
        The count, or None when no change of that kind reaches the band.
    """
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
    """How many answers would move a key question one band up or down.

    Parameters
    ----------
    framework : Framework
        The framework whose thresholds band the figure.
    result : KQResult
        The key question's rating.
    rounding : str, optional
        The rounding policy; the framework's by default.
    remaining : int, optional
        Cases still to be assessed, bounding the answers that can be added.

    Returns
    -------
    BandDistance
        The counts each way.
    """
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
    """The smallest change in answers that would move a standard a band up or down."""

    standard: str
    rating: str | None
    lift_to: str | None
    changes_to_lift: int | None  # No answers changed to Yes, across the lowest KQs
    lift_detail: tuple[tuple[str, int], ...]
    drop_to: str | None
    changes_to_drop: int | None  # Yes answers changed to No, on one KQ
    drop_detail: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        """The change in words, such as "2 No changed to Yes (2 on 2.3.3) would lift 2.3 ..."."""
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
    """The smallest change in answers that would move a case-rated standard a band.

    The standard's lowest-band rating (professional discretion aside) lifts when every
    key question in its lowest band lifts, and drops when any one key question drops.

    Parameters
    ----------
    framework : Framework
        The framework rated.
    ratings : Ratings
        The inspection's ratings.
    standard_id : str
        The id of a case-rated standard, such as ``"2.3"``.

    Returns
    -------
    StandardChange
        The change each way.
    """
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
