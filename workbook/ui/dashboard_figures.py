"""The stakeholders' dashboard's figures: aggregate only, small numbers suppressed.

:func:`build_figures` turns an inspection (framework, ratings, cases) into the tables and
tidy figures the dashboard and the static site show. Nothing that leaves this module names a
case: no case id, no inspector, no note, only counts and percentages over groups.

Small numbers (``suppress_below``, the ``WORKBOOK_SUPPRESSION`` setting, 5 by default):
- a figure over fewer cases than that is replaced by the words "fewer than 5 cases" and its
  numbers are removed (not hidden), in tables and chart data alike;
- complementary suppression: where exactly one group of a key question (or one value of a
  composition) is suppressed, the next smallest is suppressed too, so the hidden figure cannot
  be worked out by subtracting the others from the whole sample's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..framework import Framework
from ..ratings import MARGIN_FLAG, Ratings, margin_of_error
from ..report import WHOLE_SAMPLE, annex_table, fewer_than, kq_figures, summary_table

COMPOSITION = {
    "gender": "Gender",
    "disposal": "Disposal",
    "rosh": "Risk of serious harm level",
    "officer_grade": "Officer grade",
}
NOT_RECORDED = "not recorded"
_NUMBERS = ("yes", "no", "not_applicable", "n", "pct", "pct_exact", "band", "ci80_lo", "ci80_hi")


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the dashboard shows, already aggregated and suppressed."""

    title: str
    provider: str
    framework_name: str
    suppress_below: int
    overall: str | None
    summary: pd.DataFrame  # report.summary_table, footnotes in attrs
    annex: pd.DataFrame  # report.annex_table, small figures suppressed
    figures: pd.DataFrame  # report.kq_figures by LDU, complementary suppression applied
    groups: tuple[str, ...]  # the LDUs
    group_cases: dict[str, str]  # LDU -> number of cases as shown ("31" or "fewer than 5 cases")
    composition: dict[str, pd.DataFrame] = field(
        default_factory=dict
    )  # column -> value, cases, text
    thresholds: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()  # plain-language notes on the method

    def standards(self, framework: Framework) -> list[tuple[str, str]]:
        """(id, "2.1 Assessment") of the case-rated standards."""
        return [(s.id, f"{s.id} {s.name}") for s in framework.standards if s.rated_from == "cases"]


def _blank(figures: pd.DataFrame, index, suppress_below: int) -> None:
    for col in _NUMBERS:
        figures.loc[index, col] = None
    figures.loc[index, "suppressed"] = True
    figures.loc[index, "flagged"] = False
    figures.loc[index, "note"] = fewer_than(suppress_below)


def suppress_figures(figures: pd.DataFrame, suppress_below: int) -> pd.DataFrame:
    """``report.kq_figures`` with complementary suppression across the groups of each key
    question (the whole sample is never the complement: it is the published figure)."""
    out = figures.copy()
    for col in ("band", "note"):
        out[col] = out[col].astype("object")
    groups = out[out["group"] != WHOLE_SAMPLE]
    for _kq, rows in groups.groupby("kq", sort=False):
        hidden = rows[rows["suppressed"].astype(bool)]
        shown = rows[
            ~rows["suppressed"].astype(bool) & rows["n"].notna() & (rows["n"].fillna(0) > 0)
        ]
        if len(hidden) == 1 and len(shown) >= 1:
            smallest = shown.sort_values(["n", "group"]).index[0]
            _blank(out, smallest, suppress_below)
    # A suppressed figure must not be recoverable from the whole sample either: if the whole
    # sample itself is under the threshold, it is blanked by kq_figures already.
    return out


def suppress_counts(counts: pd.DataFrame, suppress_below: int) -> pd.DataFrame:
    """value, cases -> value, cases (None where suppressed), text; with complementary
    suppression when exactly one value is under the threshold."""
    out = counts.copy()
    small = out["cases"] < suppress_below
    if small.sum() == 1 and len(out) > 1:
        rest = out[~small].sort_values(["cases", "value"])
        small.loc[rest.index[0]] = True
    total = int(out["cases"].sum())
    texts, shown = [], []
    for hide, c in zip(small, out["cases"], strict=True):
        if hide:
            texts.append(
                fewer_than(suppress_below)
                if c < suppress_below
                else "not shown (protects a small group)"
            )
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


def suppress_annex(annex: pd.DataFrame, suppress_below: int) -> pd.DataFrame:
    """Annex 2 rows of key questions over fewer cases than the threshold lose their numbers."""
    out = annex.copy()
    for col in ("pct", "band"):
        out[col] = out[col].astype("object")
    small = (
        (out["kind"] == "key question") & out["n"].notna() & (out["n"].fillna(0) < suppress_below)
    )
    out.loc[small, "pct"] = fewer_than(suppress_below)
    out.loc[small, "band"] = ""
    out.loc[small, "n"] = pd.NA
    return out


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
    figures = suppress_figures(
        kq_figures(framework, ratings, attribute, suppress_below), suppress_below
    )
    breakdown = ratings.breakdowns.get(attribute, {})
    groups = tuple(sorted(breakdown))
    group_cases = {}
    for label in groups:
        n = breakdown[label].n_cases
        group_cases[label] = fewer_than(suppress_below) if n < suppress_below else str(n)
    composition = {col: composition_counts(cases, col, suppress_below) for col in COMPOSITION}
    return DashboardFigures(
        title=title,
        provider=provider,
        framework_name=framework.name,
        suppress_below=suppress_below,
        overall=ratings.overall.rating,
        summary=summary_table(framework, ratings),
        annex=suppress_annex(annex_table(framework, ratings), suppress_below),
        figures=figures,
        groups=groups,
        group_cases=group_cases,
        composition=composition,
        thresholds=tuple((t.rating, float(t.min_pct)) for t in framework.thresholds),
        notes=method_notes(framework, ratings, suppress_below),
    )
