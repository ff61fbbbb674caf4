"""Charts of the rating method (the trainers' page): tidy DataFrame in, ``alt.Chart`` out.

No loading, no display. Every band is written as a word on the chart (text marks and the
legend), never shown by colour alone; the colours are the one band palette
(:mod:`workbook.render.palette`: 3:1 between adjacent bands and on white), and every bar has a
dark outline too. Each builder has a ``*_text`` companion: the sentence that says what the chart
shows, its text alternative (the page puts a table with the same figures beside it).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..framework import RATINGS
from ..render.palette import BAND_COLOURS as _FILLS
from ..render.palette import FONT_COLOUR as TEXT
from ..render.palette import PAGE_COLOUR

BAND_ORDER = list(RATINGS)
BAND_COLOURS = [_FILLS[b] for b in BAND_ORDER]
OUTLINE = {"stroke": TEXT, "strokeWidth": 1}


def _readable(chart):
    """Axis and legend text large enough to read (12 px), dark on white."""
    return chart.configure_axis(
        labelFontSize=12, titleFontSize=12, labelColor=TEXT, titleColor=TEXT
    ).configure_legend(labelFontSize=12, titleFontSize=12)


def _band_colour(title: str = "Band") -> alt.Color:
    return alt.Color(
        "band:N",
        title=title,
        scale=alt.Scale(domain=BAND_ORDER, range=BAND_COLOURS),
        legend=alt.Legend(orient="bottom", labelColor=TEXT, titleColor=TEXT),
    )


def band_bars_chart(
    figures: pd.DataFrame, thresholds: pd.DataFrame, title: str = ""
) -> alt.LayerChart:
    """Key-question percentages as bars, each labelled with its band, and a dashed line at
    each band threshold.

    ``figures``: question, pct (0-100), band, yes, n. ``thresholds``: band, min_pct
    (the lowest band's 0 is left out of the lines)."""
    base = alt.Chart(figures)
    y = alt.Y("question:N", title="Key question", sort=None)
    x = alt.X("pct:Q", title="Yes answers (%)", scale=alt.Scale(domain=[0, 100]))
    bars = base.mark_bar(height={"band": 0.7}, **OUTLINE).encode(
        x=x,
        y=y,
        color=_band_colour(),
        tooltip=["question", "yes", "n", "pct", "band"],
    )
    labels = (
        base.mark_text(align="left", dx=4, color=TEXT, fontSize=12)
        .encode(x=x, y=y, text=alt.Text("label:N"))
        .transform_calculate(label="datum.band + ' (' + format(datum.pct, '.0f') + '%)'")
    )
    lines = thresholds[thresholds["min_pct"] > 0].sort_values("min_pct").reset_index(drop=True)
    # one label a line above the plot, staggered so that none overlaps the next
    lines = lines.assign(offset=[-8 - 14 * i for i in range(len(lines))])
    rules = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[4, 3], color=TEXT)
        .encode(x=alt.X("min_pct:Q", scale=alt.Scale(domain=[0, 100])))
    )
    rule_text = (
        alt.Chart(lines)
        .mark_text(align="left", dx=3, baseline="bottom", color=TEXT, fontSize=11)
        .encode(x="min_pct:Q", y=alt.Y("offset:Q", scale=None), text="label:N")
        .transform_calculate(label="datum.band + ' from ' + datum.min_pct + '%'")
    )
    ticks = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[2, 2], color=TEXT)
        .encode(x="min_pct:Q", y=alt.Y("offset:Q", scale=None), y2=alt.datum(0))
    )
    chart = alt.layer(bars, labels, rules, ticks, rule_text).properties(
        width=420, height=max(60, 44 * len(figures))
    )
    return _readable(chart.properties(title=title) if title else chart)


def overall_scale_chart(cuts: pd.DataFrame, points: int, max_points: int) -> alt.LayerChart:
    """The overall bands as segments of the 0-``max_points`` scale, each named, and a mark at
    ``points``. ``cuts``: band, low, high (whole points)."""
    frame = cuts.assign(
        start=cuts["low"] - 0.5, end=cuts["high"] + 0.5, mid=(cuts["low"] + cuts["high"]) / 2
    )
    frame = frame.assign(
        range=frame["low"].astype(str) + "-" + frame["high"].astype(str) + " points"
    )
    scale = alt.Scale(domain=[-0.5, max_points + 0.5])
    x_axis = alt.Axis(
        values=list(range(0, max_points + 1, 3 if max_points > 20 else 1)), title="Points"
    )
    segments = (
        alt.Chart(frame)
        .mark_bar(height=34, y=17, stroke=PAGE_COLOUR, strokeWidth=2)
        .encode(
            x=alt.X("start:Q", scale=scale, axis=x_axis),
            x2="end:Q",
            color=_band_colour("Overall band"),
            tooltip=["band", "low", "high"],
        )
    )
    # names below the bar, dark on white (the page's text colour, whatever the fill)
    names = (
        alt.Chart(frame)
        .mark_text(color=TEXT, fontSize=11, y=40, baseline="top")
        .encode(x=alt.X("mid:Q", scale=scale), text="band:N")
    )
    ranges = (
        alt.Chart(frame)
        .mark_text(color=TEXT, fontSize=11, y=54, baseline="top")
        .encode(x=alt.X("mid:Q", scale=scale), text="range:N")
    )
    marker = pd.DataFrame({"points": [points], "label": [f"{points} points"]})
    rule = (
        alt.Chart(marker)
        .mark_rule(color=TEXT, strokeWidth=3, y=-4, y2=38)
        .encode(x=alt.X("points:Q", scale=scale))
    )
    rule_text = (
        alt.Chart(marker)
        .mark_text(y=-8, color=TEXT, fontSize=12, fontWeight="bold")
        .encode(x=alt.X("points:Q", scale=scale), text="label:N")
    )
    return _readable(
        alt.layer(segments, names, ranges, rule, rule_text).properties(width=600, height=72)
    )


def margin_chart(margins: pd.DataFrame, chosen: int, flag: float = 5.0) -> alt.LayerChart:
    """Margin of error (percentage points) against sub-sample size, the flag line at
    ``flag`` points and the chosen size marked. ``margins``: size, margin."""
    line = (
        alt.Chart(margins)
        .mark_line(color=BAND_COLOURS[0])
        .encode(
            x=alt.X("size:Q", title="Cases in the sub-sample (an LDU)"),
            y=alt.Y("margin:Q", title="Margin of error (points)"),
            tooltip=["size", alt.Tooltip("margin:Q", format=".1f")],
        )
    )
    flag_frame = pd.DataFrame({"margin": [flag], "label": [f"flagged above {flag:g} points"]})
    rule = alt.Chart(flag_frame).mark_rule(strokeDash=[4, 3], color=TEXT).encode(y="margin:Q")
    rule_text = (
        alt.Chart(flag_frame)
        .mark_text(align="left", dy=-6, color=TEXT, x=5)
        .encode(y="margin:Q", text="label:N")
    )
    point = margins[margins["size"] == chosen]
    dot = (
        alt.Chart(point)
        .mark_point(size=90, filled=True, color=BAND_COLOURS[3], shape="diamond")
        .encode(x="size:Q", y="margin:Q")
    )
    dot_text = (
        alt.Chart(point)
        .mark_text(align="left", dx=8, dy=-8, color=TEXT)
        .encode(x="size:Q", y="margin:Q", text="label:N")
        .transform_calculate(
            label="datum.size + ' cases: ±' + format(datum.margin, '.1f') + ' points'"
        )
    )
    return _readable(
        alt.layer(line, rule, rule_text, dot, dot_text).properties(width=420, height=220)
    )


def uncertainty_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """For each key question, the probability that the true share lies in each band
    (stacked, summing to 100%) and the chance that a fresh sample gives another band.

    ``frame`` is :func:`workbook.uncertainty.uncertainty_frame`'s table. Key questions are
    sorted by that chance, largest first, so those near a band boundary lead; their labels
    say "near a boundary" and their rows are outlined."""
    data = frame.copy()
    data["probability_pct"] = 100 * data["probability"]
    data["another_pct"] = (100 * data["another_band"]).round(0)
    data["row"] = data["question"] + " (" + data["observed_band"] + ")"
    order = (
        data.drop_duplicates("question")
        .sort_values(["another_band", "question"], ascending=[False, True])["row"]
        .tolist()
    )
    y = alt.Y("row:N", title="Key question (observed band)", sort=order)
    band_rank = {b: i for i, b in enumerate(BAND_ORDER)}
    data["band_rank"] = data["band"].map(band_rank)
    stacked = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.7}, **OUTLINE)
        .encode(
            x=alt.X(
                "probability_pct:Q",
                title="Probability the true share is in the band (%)",
                stack="zero",
                scale=alt.Scale(domain=[0, 100]),
            ),
            y=y,
            color=_band_colour("True share in band"),
            order=alt.Order("band_rank:Q"),
            tooltip=[
                "question",
                "band",
                alt.Tooltip("probability_pct:Q", format=".1f", title="probability (%)"),
            ],
        )
    )
    rows = data.drop_duplicates("question")
    outline = (
        alt.Chart(rows[rows["near_boundary"]])
        .mark_bar(height={"band": 0.9}, fill=None, stroke=TEXT, strokeWidth=2.5)
        .encode(x=alt.datum(0), x2=alt.datum(100), y=y)
    )
    note_text = "'another band: ' + format(datum.another_band * 100, '.0f') + '%' + (datum.near_boundary ? '  ◆ near a boundary' : '')"
    notes = [
        alt.Chart(rows[rows["near_boundary"] == near])
        .mark_text(
            align="left", x=435, color=TEXT, fontSize=12, fontWeight="bold" if near else "normal"
        )
        .encode(y=y, text="note:N")
        .transform_calculate(note=note_text)
        for near in (True, False)
    ]
    return _readable(
        alt.layer(stacked, outline, *notes).properties(
            width=420, height=max(60, 30 * len(rows)), padding={"right": 230}
        )
    )


# -- text alternatives: what each chart shows, in one sentence or two ---------------------------


def band_bars_text(figures: pd.DataFrame, thresholds: pd.DataFrame, what: str = "") -> str:
    """The words for :func:`band_bars_chart`: each key question's % Yes and band, and where
    the thresholds are. ``what`` names the key questions ("standard 2.1")."""
    bars = "; ".join(f"{r.question} {r.pct:.0f}% {r.band}" for r in figures.itertuples(index=False))
    lines = thresholds[thresholds["min_pct"] > 0].sort_values("min_pct")
    cuts = ", ".join(f"{r.band} from {r.min_pct:g}%" for r in lines.itertuples(index=False))
    of = f" of {what}" if what else ""
    return (
        f"Bar chart of the Yes answers (%) of each key question{of}, each bar labelled with its "
        f"band: {bars}. Dashed lines mark the band thresholds: {cuts}."
    )


def overall_scale_text(cuts: pd.DataFrame, points: int, max_points: int, rating: str) -> str:
    """The words for :func:`overall_scale_chart`: the bands' points and where the mark is."""
    bands = ", ".join(f"{r.band} {r.low}-{r.high}" for r in cuts.itertuples(index=False))
    return (
        f"The overall bands on a scale of 0 to {max_points} points: {bands}. "
        f"The mark is at {points} points: {rating}."
    )


def margin_text(margins: pd.DataFrame, chosen: int, flag: float = 5.0) -> str:
    """The words for :func:`margin_chart`: how the margin falls and the chosen size's margin."""
    first, last = margins.iloc[0], margins.iloc[-1]
    at = margins[margins["size"] == chosen]["margin"]
    mark = f" The marked LDU of {chosen} cases: ±{float(at.iloc[0]):.1f} points." if len(at) else ""
    return (
        "Line chart of the margin of error (points) against the cases in an LDU sub-sample: "
        f"±{first['margin']:.1f} points at {int(first['size'])} cases, falling to "
        f"±{last['margin']:.1f} at {int(last['size'])}; a dashed line at {flag:g} points, "
        f"above which a breakdown flags the figure.{mark}"
    )


def uncertainty_text(frame: pd.DataFrame, shown: int = 5) -> str:
    """The words for :func:`uncertainty_chart`: what the bars are and the key questions most
    likely to change band (the first ``shown``; the table gives every one)."""
    rows = frame.drop_duplicates("question").sort_values(
        ["another_band", "question"], ascending=[False, True]
    )
    first = "; ".join(
        f"{r.question} ({r.observed_band}) another band {100 * r.another_band:.0f}%"
        f"{', near a boundary' if r.near_boundary else ''}"
        for r in rows.head(shown).itertuples(index=False)
    )
    return (
        f"Stacked bars for {len(rows)} key questions: the probability that the true share is in "
        "each band, and the chance that a fresh sample gives another band, those most likely "
        f"to change first: {first}. The table beside the chart gives every key question."
    )
