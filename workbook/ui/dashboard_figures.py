"""The stakeholders' dashboard's figures: aggregate only, small numbers suppressed.

:func:`build_figures` turns an inspection (framework, ratings, cases) into the tables and
tidy figures the dashboard and the static site show. Nothing that leaves this module names a
case: no case id, no inspector, no note, only counts and percentages over groups.

Small numbers (``suppress_below``, the ``WORKBOOK_SUPPRESSION`` setting, 5 by default):
- a figure over fewer cases than that is replaced by the words "fewer than 5 cases" and its
  numbers are removed (not hidden), in tables and chart data alike;
- complementary suppression (:func:`workbook.report.complement`, the same rule as the
  inspectors' board): where the hidden groups of a key question (or values of a composition, or
  the LDUs' case counts) hold fewer cases than that between them, the next smallest is hidden
  too, so no hidden figure can be worked out by subtracting the others from the whole sample's;
- a standard with a whole-sample key question over too few cases shows no rating, and then
  neither do the overall rating and points (they would give it away).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..framework import Framework
from ..ratings import MARGIN_FLAG, Ratings, margin_of_error
from ..report import (
    PROTECTS,
    annex_table,
    complement,
    fewer_than,
    hidden_standards,
    kq_figures,
    summary_table,
)

COMPOSITION = {
    "gender": "Gender",
    "disposal": "Disposal",
    "rosh": "Risk of serious harm level",
    "officer_grade": "Officer grade",
}
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the dashboard shows, already aggregated and suppressed."""

    title: str
    provider: str
    framework_name: str
    suppress_below: int
    overall: str | None  # a rating, "not shown" (it would reveal a hidden one), or None
    summary: pd.DataFrame  # report.summary_table, footnotes in attrs, small figures suppressed
    annex: pd.DataFrame  # report.annex_table, small figures suppressed
    figures: pd.DataFrame  # report.kq_figures by LDU, complementary suppression applied
    groups: tuple[str, ...]  # the LDUs
    group_cases: dict[str, str]  # LDU -> cases as shown ("31", "fewer than 5 cases", PROTECTS)
    composition: dict[str, pd.DataFrame] = field(
        default_factory=dict
    )  # column -> value, cases, text
    thresholds: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()  # plain-language notes on the method

    def standards(self, framework: Framework) -> list[tuple[str, str]]:
        """(id, "2.1 Assessment") of the case-rated standards."""
        return [(s.id, f"{s.id} {s.name}") for s in framework.standards if s.rated_from == "cases"]


def suppress_counts(counts: pd.DataFrame, suppress_below: int) -> pd.DataFrame:
    """value, cases -> value, cases (None where suppressed), text; with complementary
    suppression (:func:`workbook.report.complement`)."""
    out = counts.copy()
    hidden = complement(
        {str(v): int(c) for v, c in zip(out["value"], out["cases"], strict=True)}, suppress_below
    )
    small = pd.Series([str(v) in hidden for v in out["value"]], index=out.index)
    total = int(out["cases"].sum())
    texts, shown = [], []
    for hide, c in zip(small, out["cases"], strict=True):
        if hide:
            texts.append(fewer_than(suppress_below) if c < suppress_below else PROTECTS)
            shown.append(None)
        else:
            texts.append(f"{int(c)} ({100 * c / total:.0f}%)" if total else str(int(c)))
            shown.append(int(c))
    out["cases"] = pd.array(shown, dtype="Int64")
    out["text"] = texts
    out["suppressed"] = list(small)
    return out.reset_index(drop=True)


def composition_counts(cases: pd.DataFrame, column: str, suppress_below: int) -> pd.DataFrame:
    """How many cases have each value of ``column`` (suppressed), largest first."""
    if column in cases.columns:
        values = (
            cases[column]
            .astype("string")
            .str.strip()
            .fillna(NOT_RECORDED)
            .replace("", NOT_RECORDED)
        )
    else:
        values = pd.Series([NOT_RECORDED] * len(cases), dtype="string")
    counts = values.value_counts().rename_axis("value").reset_index(name="cases")
    counts["value"] = counts["value"].astype(str)
    counts["cases"] = counts["cases"].astype(int)
    counts = counts.sort_values(["cases", "value"], ascending=[False, True])
    return suppress_counts(counts, suppress_below)


def method_notes(framework: Framework, ratings: Ratings, suppress_below: int) -> tuple[str, ...]:
    """How ratings are formed, and how far a sub-sample's figure can be trusted, in plain words."""
    bands = ", ".join(
        f"{t.rating} from {t.min_pct:g}%" for t in framework.thresholds if t.min_pct > 0
    )
    lowest = framework.thresholds[-1].rating
    n_all = max((r.n for r in ratings.key_questions.values()), default=0)
    lines = [
        "Inspectors read each case in the sample and answer each key question Yes (sufficient) or "
        "No. A key question's figure is the share of Yes among the cases it applies to.",
        f"Each figure falls in a band: {bands}, and {lowest} below that.",
        "A standard takes the lowest band of its key questions, because each key question is an "
        "integral part of the standard. The inspectors may set a standard's rating otherwise by "
        "professional discretion, taking wider evidence into account; such ratings carry a "
        "footnote with the reason. The standards of domain one are judged from evidence, not "
        "rated from cases.",
        "The overall rating adds points for each standard (Outstanding 3, Good 2, Requires "
        "improvement 1, Inadequate 0) and bands the total.",
    ]
    if n_all:
        lines.append(
            f"The sample is sized so that a figure over all {n_all} cases is within about "
            f"{margin_of_error(n_all):.0f} percentage points of the true figure (80% confidence). "
            "A figure for one LDU rests on fewer cases, so its margin of error is wider: about "
            f"{margin_of_error(30):.0f} points for 30 cases and {margin_of_error(10):.0f} points "
            f"for 10. Figures whose margin is above {MARGIN_FLAG:g} points are marked † and should "
            "be read with care; the lines on the chart show each figure's 80% interval."
        )
    lines.append(
        f"To protect the people in the sample, no figure over {fewer_than(suppress_below)} is "
        "shown, and no case is ever shown on its own."
    )
    return tuple(lines)


def build_figures(
    framework: Framework,
    ratings: Ratings,
    cases: pd.DataFrame,
    suppress_below: int = 5,
    title: str = "",
    provider: str = "",
    attribute: str = "ldu",
) -> DashboardFigures:
    """The dashboard's figures for one inspection. ``ratings`` must have a breakdown by
    ``attribute`` (``rate(..., by=("ldu",))``)."""
    figures = kq_figures(framework, ratings, attribute, suppress_below)
    breakdown = ratings.breakdowns.get(attribute, {})
    groups = tuple(sorted(breakdown))
    sizes = {label: breakdown[label].n_cases for label in groups}
    hidden = complement(sizes, suppress_below)
    group_cases = {}
    for label, n in sizes.items():
        if label not in hidden:
            group_cases[label] = str(n)
        else:
            group_cases[label] = fewer_than(suppress_below) if n < suppress_below else PROTECTS
    composition = {col: composition_counts(cases, col, suppress_below) for col in COMPOSITION}
    return DashboardFigures(
        title=title,
        provider=provider,
        framework_name=framework.name,
        suppress_below=suppress_below,
        overall="not shown"
        if hidden_standards(framework, ratings, suppress_below)
        else ratings.overall.rating,
        summary=summary_table(framework, ratings, suppress_below),
        annex=annex_table(framework, ratings, suppress_below),
        figures=figures,
        groups=groups,
        group_cases=group_cases,
        composition=composition,
        thresholds=tuple((t.rating, float(t.min_pct)) for t in framework.thresholds),
        notes=method_notes(framework, ratings, suppress_below),
    )
