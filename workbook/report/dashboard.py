"""The stakeholders' dashboard's figures: aggregate only, small numbers suppressed.

:func:`build_figures` turns an inspection (framework, ratings, cases) into the tables and
tidy figures the dashboard and the static site show; the other functions give the rows of
its views (the heatmap's table, one LDU's figures) for the templates and the charts. Nothing that leaves this module names a
case: no case id, no inspector, no note, only counts and percentages over groups.

Small numbers (``suppress_below``, the ``WORKBOOK_SUPPRESSION`` setting, 5 by default):
- a figure over fewer cases than that is replaced by the words "fewer than 5 cases" and its
  numbers are removed (not hidden), in tables and chart data alike;
- complementary suppression (:func:`workbook.disclosure.complement`, the same rule as the
  inspectors' board): where the hidden groups of a key question (or values of a composition, or
  the LDUs' case counts) hold fewer cases than that between them, the next smallest is hidden
  too, so no hidden figure can be worked out by subtracting the others from the whole sample's;
- a figure over no cases in a group of fewer cases than that (a sub-sample key question that
  applies to none of a small LDU's cases) is hidden as well, with its complement: "no answers"
  there would tell that every one of the LDU's cases was not applicable;
- a standard with a whole-sample key question over too few cases shows no rating, and then
  neither do the overall rating and points (they would give it away).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..disclosure import complement, fewer_than, hidden_text, suppress_counts
from ..framework import Framework
from ..ratings import Ratings
from ..stats import MARGIN_FLAG, margin_of_error
from .tables import (
    MARGIN_MARK,
    WHOLE_SAMPLE,
    annex_table,
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
ALL_GROUPS = "All LDUs"


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
    breakdown = ratings.breakdowns.get(attribute, {})
    groups = tuple(sorted(breakdown))
    sizes = {label: breakdown[label].n_cases for label in groups}
    # kq_figures hides what disclosure.too_few hides (n = 0 in a small group too), with its
    # complement: the dashboard, the board and the exports follow the one rule
    figures = kq_figures(framework, ratings, attribute, suppress_below)
    hidden = complement(sizes, suppress_below)
    group_cases = {
        label: hidden_text(n, suppress_below) if label in hidden else str(n)
        for label, n in sizes.items()
    }
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


# -- the rows of the views -----------------------------------------------------------------------


def chart_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """Only what a chart needs: no counts of Yes, No or not applicable."""
    return figures.drop(
        columns=[c for c in ("yes", "no", "not_applicable", "pct_exact") if c in figures.columns]
    )


def figure_cell(r: dict) -> tuple[str | None, str]:
    """(band or None, text) of one key question's figure in one group, as a cell shows it:
    "Good 71%" with the margin mark, "no answers yet", or why it is not shown."""
    if r["suppressed"]:
        return None, r.get("note") or ""
    if r["pct"] is None or pd.isna(r["pct"]):
        return None, "no answers yet"
    flag = f" {MARGIN_MARK}" if r.get("flagged") else ""
    return r["band"], f"{r['band']} {int(r['pct'])}%{flag}"


def heatmap_rows(f: DashboardFigures) -> tuple[list[str], list[tuple[str, list[tuple]]]]:
    """The heatmap's table: (groups, [(key question, [(band, text) per group])])."""
    groups = [WHOLE_SAMPLE, *f.groups]
    cells = {(r["kq"], r["group"]): r for r in f.figures.to_dict(orient="records")}
    rows = []
    for kq in dict.fromkeys(f.figures["kq"]):
        found = [cells.get((kq, g)) for g in groups]
        rows.append((kq, [figure_cell(r) if r else (None, "") for r in found]))
    return groups, rows


def explorer_rows(f: DashboardFigures, group: str, standard: str | None = None) -> pd.DataFrame:
    """The figures for one LDU (with the whole sample beside it) and one standard."""
    groups = [WHOLE_SAMPLE, *f.groups] if group == ALL_GROUPS else [WHOLE_SAMPLE, group]
    rows = f.figures[f.figures["group"].isin(groups)]
    if standard:
        rows = rows[rows["standard"] == standard]
    kq_order = {k: i for i, k in enumerate(dict.fromkeys(f.figures["kq"]))}
    rank = {g: i for i, g in enumerate(groups)}
    rows = rows.assign(_k=rows["kq"].map(kq_order), _g=rows["group"].map(rank)).sort_values(
        ["_k", "_g"]
    )
    return chart_rows(rows.drop(columns=["_k", "_g"]))


def explorer_table(rows: pd.DataFrame, kq_text: dict[str, str]) -> list[dict]:
    """The rows of one LDU's table: key question, its text, group, % Yes (or why none), band,
    margin mark, n and the 80% interval, as text."""
    out = []
    for r in rows.to_dict(orient="records"):
        band, text = figure_cell(r)
        row = {"kq": r["kq"], "text": kq_text.get(r["kq"], ""), "group": r["group"]}
        if r["suppressed"] or r["pct"] is None or pd.isna(r["pct"]):
            row.update(pct=text, band=None, flag="", n="", interval="")
        else:
            row.update(
                pct=f"{int(r['pct'])}%",
                band=band,
                flag=MARGIN_MARK if r.get("flagged") else "",
                n=str(int(r["n"])),
                interval=f"{r['ci80_lo']:.0f}–{r['ci80_hi']:.0f}%",
            )
        out.append(row)
    return out
