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

What a reader sees of a hidden figure says which group is small and which figure is hidden to
protect it (:func:`hidden_words`): "Fewer than 5 cases in East: its figure is not shown", and
"Not shown, so that East's figure cannot be worked out from the total".

The margin mark (†) is set only where it changes how a figure is read (:func:`crosses_band`):
an LDU's figure whose 80% interval reaches into another band, so its band is not sure; the
notes say so in words (:data:`MARGIN_NOTE`), and the tables name the other band.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..disclosure import PROTECTS, complement, fewer_than, is_small, suppress_counts
from ..framework import Framework
from ..ratings import Ratings
from ..stats import margin_of_error
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
MARGIN_NOTE = (
    f"{MARGIN_MARK} marks an LDU's figure whose 80% interval reaches into another band: the "
    "true figure could be in that band (named beside the mark), so read its band with care. "
    "An LDU's figure without the mark has its whole 80% interval inside its band. The whole "
    "sample's figures are not marked: they set the ratings, and the sample is sized for them."
)


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
    # report.kq_figures by LDU, complementary suppression applied, and two columns of the
    # dashboard's own: ``says`` (why a hidden figure is not shown, in words naming the small
    # group) and ``crosses`` (the 80% interval reaches into another band: the margin mark)
    figures: pd.DataFrame
    groups: tuple[str, ...]  # the LDUs
    group_cases: dict[str, str]  # LDU -> cases as shown ("31", or why the count is not shown)
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
    counts = suppress_counts(counts, suppress_below)
    small = [
        v
        for v, t in zip(counts["value"], counts["text"], strict=True)
        if t == fewer_than(suppress_below)
    ]
    counts["text"] = [
        hidden_words(t == fewer_than(suppress_below), suppress_below, small, what="count")
        if hide
        else t
        for hide, t in zip(counts["suppressed"], counts["text"], strict=True)
    ]
    return counts


def _names(names: list[str], word: str = "and") -> str:
    """Names joined for a sentence: East; East and West; East, North and West (or, with
    ``word`` "or": Good or Inadequate). No names: ""."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def hidden_words(
    small: bool,
    suppress_below: int,
    protected: list[str],
    group: str | None = None,
    what: str = "figure",
) -> str:
    """Why a figure (or a count) is not shown, in words that name the group that is small.

    ``small``: it is over too few cases itself ("Fewer than 5 cases in East: its figure is not
    shown"; without ``group``, in a row of its own: "fewer than 5 cases, not shown"). Otherwise it
    is hidden to protect the small ones, ``protected``: "Not shown, so that East's figure cannot
    be worked out from the total" (without ``group``: "not shown, so that the count for very
    high cannot be worked out from the total")."""
    if small:
        if group is None:
            return f"{fewer_than(suppress_below)}, not shown"
        where = "the whole sample" if group == WHOLE_SAMPLE else group
        return f"Fewer than {suppress_below} cases in {where}: its {what} is not shown"
    names = [n for n in protected if n != WHOLE_SAMPLE]
    if not names:
        whose = f"no {what} over {fewer_than(suppress_below)}"
    elif group is None:
        whose = f"the {what}{'s' if len(names) > 1 else ''} for {_names(names)}"
    elif len(names) == 1:
        whose = f"{names[0]}'s {what}"
    else:
        whose = f"the {what}s of {_names(names)}"
    said = f"not shown, so that {whose} cannot be worked out from the total"
    return said if group is None else said[0].upper() + said[1:]


def crosses_band(lo, hi, thresholds: tuple[tuple[str, float], ...]) -> list[str]:
    """The bands an 80% interval ``lo``-``hi`` (percentages) reaches, best first, when there
    are two or more (the figure's band is then not sure); otherwise an empty list.
    ``thresholds``: (rating, lowest percentage), best first."""
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi) or not thresholds:
        return []

    def band(p: float) -> str:
        return next((r for r, least in thresholds if p >= least), thresholds[-1][0])

    order = [r for r, _ in thresholds]
    reached = order[order.index(band(hi)) : order.index(band(lo)) + 1]
    return reached if len(reached) > 1 else []


def explain_figures(
    figures: pd.DataFrame, suppress_below: int, thresholds: tuple[tuple[str, float], ...]
) -> pd.DataFrame:
    """``figures`` with the dashboard's two columns: ``says``, why a hidden figure is not shown
    (:func:`hidden_words`, naming the key question's small groups), and ``crosses``, the other
    bands an LDU's figure's 80% interval reaches ("Outstanding", "Good or Inadequate",
    "Outstanding, Requires improvement or Inadequate"; empty
    when the interval stays in the figure's band, :func:`crosses_band`). The whole sample's
    figures are never marked: they set the ratings by the framework's rule, and the sample is
    sized for them."""
    out = figures.copy()
    small = fewer_than(suppress_below)
    protected = {
        kq: [
            g
            for g, note, hidden in zip(rows["group"], rows["note"], rows["suppressed"], strict=True)
            if hidden and note == small
        ]
        for kq, rows in out.groupby("kq", sort=False)
    }
    out["says"] = [
        hidden_words(note == small, suppress_below, protected.get(kq, []), group=group)
        if hidden
        else ""
        for kq, group, note, hidden in zip(
            out["kq"], out["group"], out["note"], out["suppressed"], strict=True
        )
    ]
    out["crosses"] = [
        ""
        if group == WHOLE_SAMPLE
        else _names([b for b in crosses_band(lo, hi, thresholds) if b != band], "or")
        for group, lo, hi, band in zip(
            out["group"], out["ci80_lo"], out["ci80_hi"], out["band"], strict=True
        )
    ]
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
            f"for 10. The lines on the charts show each figure's 80% interval. {MARGIN_NOTE}"
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
    thresholds = tuple((t.rating, float(t.min_pct)) for t in framework.thresholds)
    figures = explain_figures(
        kq_figures(framework, ratings, attribute, suppress_below), suppress_below, thresholds
    )
    hidden = complement(sizes, suppress_below)
    small = [g for g in groups if g in hidden and is_small(sizes[g], suppress_below)]
    group_cases = {
        label: hidden_words(is_small(n, suppress_below), suppress_below, small, what="count")
        if label in hidden
        else str(n)
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
        thresholds=thresholds,
        notes=method_notes(framework, ratings, suppress_below),
    )


# -- the rows of the views -----------------------------------------------------------------------


def chart_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """Only what a chart needs: no counts of Yes, No or not applicable; a hidden figure's note
    in the chart's few words ("fewer than 5 cases", "not shown"): the table beside it says why."""
    out = figures.drop(
        columns=[c for c in ("yes", "no", "not_applicable", "pct_exact") if c in figures.columns]
    )
    if "note" in out.columns:
        out = out.assign(note=out["note"].replace(PROTECTS, "not shown"))
    return out


def figure_cell(r: dict) -> tuple[str | None, str, str]:
    """(band or None, text, could) of one key question's figure in one group, as a cell shows
    it: "Good 71%", "no answers yet", or why it is not shown, naming the small group; ``could``
    is the other bands its interval reaches, for the margin mark ("" when its band is sure)."""
    if r["suppressed"]:
        return None, r.get("says") or r.get("note") or "", ""
    if r["pct"] is None or pd.isna(r["pct"]):
        return None, "no answers yet", ""
    return r["band"], f"{r['band']} {int(r['pct'])}%", r.get("crosses") or ""


def heatmap_rows(f: DashboardFigures) -> tuple[list[str], list[tuple[str, list[tuple]]]]:
    """The heatmap's table: (groups, [(key question, [(band, text, could) per group])])."""
    groups = [WHOLE_SAMPLE, *f.groups]
    cells = {(r["kq"], r["group"]): r for r in f.figures.to_dict(orient="records")}
    rows = []
    for kq in dict.fromkeys(f.figures["kq"]):
        found = [cells.get((kq, g)) for g in groups]
        rows.append((kq, [figure_cell(r) if r else (None, "", "") for r in found]))
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
    the margin mark and the other bands its interval reaches (``could``), n and the 80%
    interval, as text."""
    out = []
    for r in rows.to_dict(orient="records"):
        band, text, could = figure_cell(r)
        row = {"kq": r["kq"], "text": kq_text.get(r["kq"], ""), "group": r["group"]}
        if r["suppressed"] or r["pct"] is None or pd.isna(r["pct"]):
            row.update(pct=text, band=None, flag="", could="", n="", interval="")
        else:
            row.update(
                pct=f"{int(r['pct'])}%",
                band=band,
                flag=MARGIN_MARK if could else "",
                could=could,
                n=str(int(r["n"])),
                interval=f"{r['ci80_lo']:.0f}–{r['ci80_hi']:.0f}%",
            )
        out.append(row)
    return out
