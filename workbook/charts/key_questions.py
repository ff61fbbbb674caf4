"""Key-question charts: a tidy DataFrame in, an ``alt.Chart`` out; no loading, no display.

The figures come from :func:`workbook.report.kq_figures` (one row per key question and group).
A band is never shown by colour alone: every mark that carries a band also carries its word,
in a text label and in the tooltip. Colours are the one palette's
(:mod:`workbook.render.palette`: 3:1 between adjacent bands and on white, 4.5:1 for the text on
each fill). Builders inline their (small,
already aggregated) data, so a chart renders offline.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ..framework import RATINGS
from ..render.palette import (
    BAND_COLOURS,
    BAND_TEXT,
    FONT_COLOUR,
    GROUP_COLOURS,
    NO_FIGURE,
    NO_FIGURE_TEXT,
    PAGE_COLOUR,
    RULE_COLOUR,
)
from ..report.tables import WHOLE_SAMPLE

# One shape per group (the colours are the palette's GROUP_COLOURS, each 3:1 on white).
GROUP_SHAPES = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "cross",
    "triangle-down",
    "triangle-right",
    "triangle-left",
)
DEFAULT_THRESHOLDS = (("Outstanding", 80.0), ("Good", 65.0), ("Requires improvement", 50.0))


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (pandas' missing values become None)."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                clean[k] = None
            elif hasattr(v, "item"):
                clean[k] = v.item()
            else:
                clean[k] = v
        out.append(clean)
    return out


def _groups(figures: pd.DataFrame) -> list[str]:
    groups = list(dict.fromkeys(figures["group"]))
    if WHOLE_SAMPLE in groups:
        groups.remove(WHOLE_SAMPLE)
        groups.insert(0, WHOLE_SAMPLE)
    return groups


def sort_key_questions(ids) -> list[str]:
    """Key-question ids, each once, in the framework's numeric order (2.1.2 before 2.1.10)."""
    return sorted(
        dict.fromkeys(ids), key=lambda k: tuple(int(p) for p in str(k).split(".") if p.isdigit())
    )


def _kq_order(figures: pd.DataFrame) -> list[str]:
    return sort_key_questions(figures["kq"])


def _theme(chart, legend: str = "right"):
    return (
        chart.configure_axis(
            labelColor=FONT_COLOUR, titleColor=FONT_COLOUR, labelFontSize=12, titleFontSize=12
        )
        .configure_legend(
            labelColor=FONT_COLOUR,
            titleColor=FONT_COLOUR,
            labelFontSize=12,
            titleFontSize=12,
            orient=legend,
            labelLimit=0,
        )
        .configure_view(stroke=None)
    )


KQ_DATASET = "kq_figures"
KQ_COLUMNS = ["kq", "standard", "group", "pct", "band", "n", "ci80_lo", "ci80_hi", "label"]


def kq_chart_values(figures: pd.DataFrame) -> list[dict]:
    """The rows :func:`draw_kq_chart` plots (its dataset ``KQ_DATASET``): figures that are
    shown, each with its label ("62% Requires improvement"). A live view can swap these into
    a built specification instead of building the chart again."""
    rows = figures.to_dict(orient="records") if isinstance(figures, pd.DataFrame) else figures
    out = []
    for r in rows:
        pct = r["pct"]
        if r["suppressed"] or pct is None or pd.isna(pct):
            continue
        values = {k: r[k] for k in KQ_COLUMNS[:-1]}
        values["label"] = f"{int(pct)}% {r['band']}"
        out.append(values)
    return (
        _records(pd.DataFrame(out, columns=KQ_COLUMNS))
        if isinstance(figures, pd.DataFrame)
        else out
    )


def draw_kq_chart(
    figures: pd.DataFrame,
    thresholds: Sequence[tuple[str, float]] = DEFAULT_THRESHOLDS,
    title: str = "Key questions: % Yes with 80% interval",
    width: int = 460,
    key_questions: Sequence[str] | None = None,
) -> alt.LayerChart:
    """Each key question's percentage (as printed) with its 80% interval, one colour and shape
    per group, the band thresholds drawn as dashed rules, and the band written beside each
    point and in its tooltip. Suppressed figures and key questions without answers are left out
    (the table beside the chart says why). ``figures`` may also be the rows of
    :func:`workbook.report.kq_rows`. The rows are the named dataset ``KQ_DATASET``;
    ``key_questions`` fixes the rows shown (default: those with a figure)."""
    values = kq_chart_values(figures)
    if not isinstance(figures, pd.DataFrame):
        figures = pd.DataFrame(figures)
    groups = _groups(figures)
    if key_questions is None:
        key_questions = _kq_order(pd.DataFrame({"kq": [v["kq"] for v in values]})) or _kq_order(
            figures
        )
    kqs = list(key_questions)
    colour = alt.Color(
        "group:N",
        title="Group",
        sort=groups,
        scale=alt.Scale(
            domain=groups, range=list(GROUP_COLOURS[: len(groups)] or GROUP_COLOURS[:1])
        ),
    )
    shape = alt.Shape(
        "group:N",
        title="Group",
        sort=groups,
        scale=alt.Scale(domain=groups, range=list(GROUP_SHAPES[: len(groups)] or GROUP_SHAPES[:1])),
    )
    y = alt.Y("kq:N", title="Key question", sort=kqs, scale=alt.Scale(domain=kqs))
    y_offset = alt.YOffset("group:N", sort=groups, scale=alt.Scale(domain=groups))
    x_scale = alt.Scale(domain=[0, 100])
    tooltip = [
        alt.Tooltip("kq:N", title="Key question"),
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("pct:Q", title="% Yes"),
        alt.Tooltip("band:N", title="Band"),
        alt.Tooltip("n:Q", title="Cases"),
        alt.Tooltip("ci80_lo:Q", title="80% interval from", format=".0f"),
        alt.Tooltip("ci80_hi:Q", title="80% interval to", format=".0f"),
    ]
    base = alt.Chart(alt.NamedData(KQ_DATASET)).encode(y=y, yOffset=y_offset, color=colour)
    interval = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci80_lo:Q", title="% Yes", scale=x_scale), x2="ci80_hi:Q", tooltip=tooltip
    )
    points = base.mark_point(filled=True, size=60, opacity=1).encode(
        x=alt.X("pct:Q", scale=x_scale), shape=shape, tooltip=tooltip
    )
    labels = base.mark_text(align="left", dx=6, fontSize=10, color=FONT_COLOUR).encode(
        x=alt.X("ci80_hi:Q", scale=x_scale), text="label:N", tooltip=tooltip
    )
    cut = [
        {"pct": float(p), "short": f"{p:g}%", "text": f"{r} from {p:g}%"}
        for r, p in thresholds
        if p > 0
    ]
    rules = (
        alt.Chart(alt.NamedData("thresholds"))
        .mark_rule(strokeDash=[4, 3], color=RULE_COLOUR)
        .encode(x=alt.X("pct:Q", scale=x_scale), tooltip=[alt.Tooltip("text:N", title="Threshold")])
    )
    rule_text = (
        alt.Chart(alt.NamedData("thresholds"))
        .mark_text(align="left", baseline="top", dx=3, y=0, fontSize=10, color=FONT_COLOUR)
        .encode(x=alt.X("pct:Q", scale=x_scale), text="short:N")
    )
    height = max(120, 13 * max(1, len(kqs)) * len(groups))
    chart = alt.layer(rules, rule_text, interval, points, labels).properties(
        width=width,
        height=height,
        title=title,
        padding={"right": 150},
        datasets={KQ_DATASET: values, "thresholds": cut},
    )
    return _theme(chart, legend="bottom")


def _cell_label(row) -> tuple[str, str]:
    if row["suppressed"]:
        return "too few cases", row.get("note") or "too few cases"
    if row["pct"] is None or pd.isna(row["pct"]):
        return "no answers yet", "no answers yet"
    return row["band"], f"{row['band']} {int(row['pct'])}%"


def draw_heatmap(
    figures: pd.DataFrame, ratings: Sequence[str] = RATINGS, title: str = "Key questions by group"
) -> alt.Chart:
    """Key questions (rows) by group (columns), each cell filled by its band and printed with
    the band word and percentage (or why there is no figure)."""
    frame = figures.copy()
    cells = [_cell_label(r) for r in frame.to_dict(orient="records")]
    frame["fill"] = [c[0] for c in cells]
    frame["label"] = [c[1] for c in cells]
    groups = _groups(frame)
    kqs = _kq_order(frame)
    domain = list(ratings) + list(NO_FIGURE)
    fills = [BAND_COLOURS[r] for r in ratings] + list(NO_FIGURE.values())
    texts = [BAND_TEXT[r] for r in ratings] + [NO_FIGURE_TEXT] * len(NO_FIGURE)
    data = alt.Data(values=_records(frame[["kq", "group", "fill", "label", "pct", "n", "band"]]))
    base = alt.Chart(data).encode(
        x=alt.X("group:N", title=None, sort=groups, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("kq:N", title="Key question", sort=kqs),
        tooltip=[
            alt.Tooltip("kq:N", title="Key question"),
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("label:N", title="Band"),
            alt.Tooltip("n:Q", title="Cases"),
        ],
    )
    rect = base.mark_rect(stroke=PAGE_COLOUR, strokeWidth=1).encode(
        color=alt.Color(
            "fill:N", title="Band", scale=alt.Scale(domain=domain, range=fills), sort=domain
        )
    )
    # the words on each cell in the palette's text colour for its fill (4.5:1 or more)
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.Color("fill:N", scale=alt.Scale(domain=domain, range=texts), legend=None),
    )
    # each layer keeps its own colour scale: shared (Vega-Lite's default for a layer), the text
    # takes the cells' fills (invisible words) and the band legend is dropped
    chart = (
        alt.layer(rect, text)
        .resolve_scale(color="independent")
        .properties(width=max(160, 150 * len(groups)), height=max(120, 22 * len(kqs)), title=title)
    )
    return _theme(chart)


def draw_composition(counts: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """A small bar chart of (suppressed) counts of cases: ``value``, ``cases`` (missing where
    suppressed) and ``text``. Suppressed values have no bar, only their words."""
    data = counts.assign(bar=[0 if pd.isna(c) else int(c) for c in counts["cases"]])[
        ["value", "bar", "text"]
    ]
    order = data["value"].tolist()
    base = alt.Chart(alt.Data(values=data.to_dict(orient="records"))).encode(
        y=alt.Y("value:N", title=None, sort=order), x=alt.X("bar:Q", title="Cases")
    )
    bars = base.mark_bar(color=GROUP_COLOURS[1])
    text = base.mark_text(align="left", dx=3, fontSize=11, color=FONT_COLOUR).encode(text="text:N")
    return (
        alt.layer(bars, text)
        .properties(width=200, height=max(40, 22 * len(order)), padding={"right": 110})
        .configure_view(stroke=None)
    )
