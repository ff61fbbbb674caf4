"""The stakeholders' dashboard as HTML: one page, two deliveries, the same fragments.

Every fragment is a template in ``templates/dashboard/`` rendered from
:class:`~workbook.report.dashboard.DashboardFigures` (already aggregated and suppressed); the
templates escape every value. The dashboard's snapshot (:mod:`workbook.render.snapshot`) holds
them all: the Voilà page shows its sections as widgets (:mod:`workbook.ui.dashboard`), and the
static site (:func:`site_html`) is the same sections, in the same order
(:data:`workbook.ui.dashboard.snapshot.SECTIONS`), with the same LDU and standard selectors
switching the same pre-rendered views by a small script. Charts are Altair specifications from
:mod:`workbook.charts` rendered to SVG offline (:func:`workbook.charts.chart_svg`), so a page
needs no JavaScript from anywhere to show them; each chart has a table beside it, and every
band is written as a word, never shown by colour alone.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from datetime import datetime
from functools import cache
from importlib import resources

import pandas as pd
from markupsafe import Markup

from ..charts import chart_svg, draw_composition, draw_heatmap, draw_kq_chart
from ..disclosure import fewer_than
from ..report.dashboard import (
    ALL_GROUPS,
    COMPOSITION,
    MARGIN_NOTE,
    DashboardFigures,
    chart_rows,
    explorer_rows,
    explorer_table,
    heatmap_rows,
)
from ..report.tables import MARGIN_MARK, WHOLE_SAMPLE
from ..ui.dashboard.snapshot import SECTIONS
from . import render, style_tag

TEMPLATES = "dashboard/"
EXPLORER_NOTE = "Dots: % Yes; lines: 80% interval; dashed rules: band thresholds."
LABEL_CHARACTERS = 22  # a heatmap column's heading wraps at about this many characters


def section(body: str, style: bool = False) -> str:
    """A fragment in the dashboard's frame (``.wb-dash``), with the stylesheet first if asked."""
    return render(TEMPLATES + "section.html.j2", body=Markup(body), style=style)


def header_html(f: DashboardFigures) -> str:
    """The page's one level-one heading (the provider), the inspection and framework, what the
    page is, a banner on demo data, and the overall rating."""
    synthetic = "synthetic" in (f.provider or "").lower() or "demo" in (f.title or "").lower()
    return render(
        TEMPLATES + "header.html.j2",
        f=f,
        synthetic=synthetic,
        fewer=fewer_than(f.suppress_below),
    )


def summary_html(f: DashboardFigures) -> str:
    """The report's summary of ratings, the overall rating last, then the footnotes."""
    return render(TEMPLATES + "summary.html.j2", rows=f.summary.to_dict(orient="records"))


def annex_html(f: DashboardFigures) -> str:
    """Annex 2 style: each standard with its rating, each key question with % Yes, band and n."""
    rows = [
        {**r, "n": "" if pd.isna(r["n"]) else str(int(r["n"]))}
        for r in f.annex.to_dict(orient="records")
    ]
    summary = f.summary.to_dict(orient="records")
    reasons = {r["standard"]: r["reason"] for r in summary if r["mark"]}
    names = {r["standard"]: r["name"] for r in summary}
    notes = [
        (r["item"], names.get(r["item"], ""), reasons.get(r["item"], ""))
        for r in rows
        if r["kind"] == "standard" and r["mark"]
    ]
    return render(TEMPLATES + "annex.html.j2", rows=rows, notes=notes)


def wrapped_labels(chart, names, width: int = LABEL_CHARACTERS, line_height: int = 14):
    """``chart`` with its column headings (the x axis's labels, on top) written in full, on as
    many lines as they need, never cut off with an ellipsis (Vega's default label limit). Every
    heading gets the same number of lines (blank ones first), and the labels are raised by the
    extra lines, so each heading's last line sits just over its column."""
    lines = {n: textwrap.wrap(n, width) or [n] for n in names}
    most = max((len(v) for v in lines.values()), default=1)
    axis = {"labelLimit": 0}
    if most > 1:
        # a look-up in a literal object (JSON is valid in Vega's expression language): the
        # name's lines, or the name as it is
        padded = {n: [""] * (most - len(v)) + v for n, v in lines.items()}
        axis["labelExpr"] = f"({json.dumps(padded)})[datum.label] || datum.label"
        axis["labelPadding"] = 2 + line_height * (most - 1)
        axis["labelLineHeight"] = line_height
    return chart.configure_axisX(**axis)


def heatmap_html(f: DashboardFigures) -> str:
    """The heatmap of key questions by LDU and its table."""
    figures = chart_rows(f.figures)
    # each layer (cells, words) keeps its own colour scale, so the words take the palette's text
    # colour for their cell, never the cell's own (the builder shares one: patch-dashboard-1)
    chart = draw_heatmap(figures, title="Key questions by LDU: band and % Yes").resolve_scale(
        color="independent"
    )
    svg = chart_svg(
        wrapped_labels(chart, [WHOLE_SAMPLE, *f.groups]),
        label="Heatmap of each key question's band and percentage of Yes, by LDU; the same figures are in the table beside it.",
    )
    groups, rows = heatmap_rows(f)
    return render(
        TEMPLATES + "heatmap.html.j2",
        svg=svg,
        groups=groups,
        rows=rows,
        cases=list(f.group_cases.items()),
        margin_mark=MARGIN_MARK,
        margin_note=MARGIN_NOTE,
        marked=any(c for _, cells in rows for _, _, c in cells),
    )


def explorer_chart(f: DashboardFigures, rows: pd.DataFrame, title: str):
    """The chart of one LDU's key questions: % Yes with its 80% interval, band thresholds."""
    thresholds = tuple((r, p) for r, p in f.thresholds if p > 0)
    return draw_kq_chart(rows, thresholds=thresholds, title=title, width=420)


def _where(group: str) -> str:
    return "all LDUs" if group == ALL_GROUPS else group


def view_title(f: DashboardFigures, framework, group: str, standard: str) -> str:
    """The heading of one view: "2.1 Assessment: Warwickshire and the whole sample"."""
    label = dict(f.standards(framework)).get(standard, standard)
    return f"{label}: {_where(group)} and the whole sample"


def view_status(f: DashboardFigures, framework, group: str, standard: str) -> str:
    """What the selectors' live region says when a view is shown (the same words in the Voilà
    page and the static site)."""
    return f"Showing {view_title(f, framework, group, standard)}."


def explorer_html(framework, f: DashboardFigures, group: str, standard: str) -> str:
    """One LDU (or all) and one standard: its heading, the chart and its table side by side."""
    kq_text = {q.id: q.text for q in framework.rated_key_questions}
    rows = explorer_rows(f, group, standard)
    title = view_title(f, framework, group, standard)
    label = dict(f.standards(framework)).get(standard, standard)
    alt_text = f"Chart of each key question of {label}, % Yes with its 80% interval, for {_where(group)} and the whole sample; the same figures are in the table beside it."
    svg = chart_svg(explorer_chart(f, rows, title), label=alt_text)
    table = explorer_table(rows, kq_text)
    return render(
        TEMPLATES + "explorer.html.j2",
        title=title,
        svg=svg,
        caption=EXPLORER_NOTE,
        rows=table,
        margin_mark=MARGIN_MARK,
    )


def explorer_heading(f: DashboardFigures) -> str:
    """The heading and the words over the LDU and standard selectors."""
    return render(TEMPLATES + "explorer_heading.html.j2", margin_note=MARGIN_NOTE)


def composition_html(f: DashboardFigures) -> str:
    """The sample by gender, disposal, risk level and officer grade: a chart and a table each."""
    parts = []
    for column, label in COMPOSITION.items():
        counts = f.composition[column]
        svg = chart_svg(
            draw_composition(counts.assign(text=_short(counts)), label),
            label=f"Bar chart of the cases by {label.lower()}; the same counts are in the table under it.",
        )
        rows = zip(counts["value"], counts["text"], counts["suppressed"], strict=True)
        parts.append((label, svg, [(v, t, bool(s)) for v, t, s in rows]))
    return render(
        TEMPLATES + "composition.html.j2", parts=parts, fewer=fewer_than(f.suppress_below)
    )


def _short(counts: pd.DataFrame) -> list[str]:
    """A composition chart's words for its bars: a hidden count is "not shown" (its table says
    why)."""
    return [
        "not shown" if s else t for s, t in zip(counts["suppressed"], counts["text"], strict=True)
    ]


def notes_html(f: DashboardFigures) -> str:
    """How the ratings are formed, in plain words."""
    return render(TEMPLATES + "notes.html.j2", notes=f.notes)


def problem_html(title: str, lines: list[str]) -> str:
    """A clear message on the page (never a traceback): the one error box."""
    return render(TEMPLATES + "problem.html.j2", title=title, lines=lines)


@cache
def site_script_version() -> str:
    """A digest of the static site's script (``templates/dashboard/site.js``): the page asks for
    ``dashboard.js?v=<digest>``, so a browser never pairs a new page with an old cached script."""
    source = resources.files(__package__).joinpath("templates", "dashboard", "site.js")
    return hashlib.sha256(source.read_bytes()).hexdigest()[:8]


def site_page(snapshot: dict, title: str, published: datetime | None = None) -> str:
    """The static page from the dashboard's snapshot: the Voilà page's sections in its order
    (:data:`SECTIONS`), the selectors as labelled ``<select>`` elements over every view,
    rendered beforehand, and when it was published."""
    when = (published or datetime.now()).strftime("%d %B %Y %H:%M")
    views = [
        (group, sid, snapshot["statuses"][group][sid], Markup(snapshot["views"][group][sid]))
        for group in snapshot["groups"]
        for sid, _label in snapshot["standards"]
    ]
    page = render(
        TEMPLATES + "site.html.j2",
        title=title,
        sections=SECTIONS,
        fragments={name: Markup(snapshot[name]) for name in SECTIONS if name != "explorer"},
        explorer_heading=Markup(snapshot["explorer_heading"]),
        groups=snapshot["groups"],
        standards=snapshot["standards"],
        views=views,
        published=when,
        script=f"dashboard.js?v={site_script_version()}",
    )
    return page + "\n"


def site_html(framework, f: DashboardFigures, published: datetime | None = None) -> str:
    """The static page of ``f``: every section of the dashboard and both selectors."""
    from .snapshot import build_snapshot

    snapshot = build_snapshot(
        framework, f, inspection=f.title, token="", suppression=f.suppress_below
    )
    return site_page(snapshot, f"{f.provider or f.title}: inspection dashboard", published)


__all__ = [
    "ALL_GROUPS",
    "annex_html",
    "composition_html",
    "explorer_chart",
    "explorer_heading",
    "explorer_html",
    "header_html",
    "heatmap_html",
    "notes_html",
    "problem_html",
    "section",
    "site_html",
    "site_page",
    "style_tag",
    "summary_html",
    "view_status",
    "view_title",
]
