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

The room has three modules:

- :mod:`workbook.ratings.tally`: counting is done once into a :class:`Tally` (numpy arrays);
- :mod:`workbook.ratings.engine`: rating a tally; one changed judgement updates the tally and
  re-rates only its key question, its standard and the overall (:func:`update_ratings`);
- :mod:`workbook.ratings.changes`: what would move a band (:func:`band_distance`,
  :func:`standard_change`).

Intervals, margins and sample sizes come from :mod:`workbook.stats`.
"""

from __future__ import annotations

from .changes import BandDistance, StandardChange, band_distance, changes_to_reach, standard_change
from .engine import (
    GroupRatings,
    KQResult,
    OverallResult,
    Ratings,
    StandardResult,
    overall_cut_points,
    rate,
    rate_overall,
    rate_overall_points,
    rate_percentage,
    rate_tally,
    ratings_to_dict,
    round_half_up,
    update_ratings,
    with_decisions,
)
from .tally import NOT_RECORDED, GroupCounts, Tally, tally_judgements

__all__ = [
    "NOT_RECORDED",
    "BandDistance",
    "GroupCounts",
    "GroupRatings",
    "KQResult",
    "OverallResult",
    "Ratings",
    "StandardChange",
    "StandardResult",
    "Tally",
    "band_distance",
    "changes_to_reach",
    "overall_cut_points",
    "rate",
    "rate_overall",
    "rate_overall_points",
    "rate_percentage",
    "rate_tally",
    "ratings_to_dict",
    "round_half_up",
    "standard_change",
    "tally_judgements",
    "update_ratings",
    "with_decisions",
]
