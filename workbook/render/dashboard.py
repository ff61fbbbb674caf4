"""The stakeholders' dashboard as HTML, shared by the Voilà page and the static site.

Every fragment is a template in ``templates/dashboard/`` rendered from
:class:`~workbook.report.dashboard.DashboardFigures` (already aggregated and suppressed); the
templates escape every value. Charts are Altair specifications from :mod:`workbook.charts`
rendered to SVG offline (:func:`workbook.charts.chart_svg`), so a page needs no JavaScript from
anywhere to show them; each chart has a table beside it, and every band is written as a word,
never shown by colour alone.
"""

from __future__ import annotations

import hashlib
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
    DashboardFigures,
    chart_rows,
    explorer_rows,
    explorer_table,
    heatmap_rows,
)
from ..report.tables import MARGIN_MARK
from . import render, style_tag

TEMPLATES = "dashboard/"
EXPLORER_NOTE = "Dots: % Yes; lines: 80% interval; dashed rules: band thresholds."


def section(body: str, style: bool = False) -> str:
    """A fragment in the dashboard's frame (``.wb-dash``), with the stylesheet first if asked."""
    return render(TEMPLATES + "section.html.j2", body=Markup(body), style=style)


def header_html(f: DashboardFigures) -> str:
    """The inspection's name, framework, a banner on demo data and the overall rating."""
    synthetic = "synthetic" in (f.provider or "").lower() or "demo" in (f.title or "").lower()
    return render(TEMPLATES + "header.html.j2", f=f, synthetic=synthetic)


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


def heatmap_html(f: DashboardFigures) -> str:
    """The heatmap of key questions by LDU and its table."""
    chart = draw_heatmap(chart_rows(f.figures), title="Key questions by LDU: band and % Yes")
    svg = chart_svg(
        chart,
        label="Heatmap of each key question's band and percentage of Yes, by LDU; the same figures are in the table beside it.",
    )
    groups, rows = heatmap_rows(f)
    cases = ", ".join(f"{g}: {n}" for g, n in f.group_cases.items())
    return render(
        TEMPLATES + "heatmap.html.j2",
        svg=svg,
        groups=groups,
        rows=rows,
        cases=cases,
        margin_mark=MARGIN_MARK,
    )


def explorer_chart(f: DashboardFigures, rows: pd.DataFrame, title: str):
    """The chart of one LDU's key questions: % Yes with its 80% interval, band thresholds."""
    thresholds = tuple((r, p) for r, p in f.thresholds if p > 0)
    return draw_kq_chart(rows, thresholds=thresholds, title=title, width=420)


def explorer_html(framework, f: DashboardFigures, group: str, standard: str | None = None) -> str:
    """One LDU (or all) and one standard (or all): the chart and its table side by side."""
    kq_text = {q.id: q.text for q in framework.rated_key_questions}
    rows = explorer_rows(f, group, standard)
    where = "all LDUs" if group == ALL_GROUPS else group
    if standard:
        label = dict(f.standards(framework)).get(standard, standard)
        title = f"{label}: {where} and the whole sample"
        alt_text = f"Chart of each key question of {label}, % Yes with its 80% interval, for {where} and the whole sample; the same figures are in the table beside it."
    else:
        title = f"Key questions: {where} and the whole sample"
        alt_text = f"Chart of each key question's % Yes with its 80% interval for {where} and the whole sample; the same figures are in the table beside it."
    svg = chart_svg(explorer_chart(f, rows, title), label=alt_text)
    return render(
        TEMPLATES + "explorer.html.j2",
        svg=svg,
        caption=EXPLORER_NOTE,
        rows=explorer_table(rows, kq_text),
    )


def explorer_heading() -> str:
    """The heading over the page's LDU explorer."""
    return render(TEMPLATES + "explorer_heading.html.j2")


def composition_html(f: DashboardFigures) -> str:
    """The sample by gender, disposal, risk level and officer grade: a chart and a table each."""
    parts = []
    for column, label in COMPOSITION.items():
        counts = f.composition[column]
        svg = chart_svg(
            draw_composition(counts, label),
            label=f"Bar chart of the cases by {label.lower()}; the same counts are in the table under it.",
        )
        parts.append((label, svg, list(zip(counts["value"], counts["text"], strict=True))))
    return render(
        TEMPLATES + "composition.html.j2", parts=parts, fewer=fewer_than(f.suppress_below)
    )


def notes_html(f: DashboardFigures) -> str:
    """How the ratings are formed, in plain words."""
    return render(TEMPLATES + "notes.html.j2", notes=f.notes)


def problem_html(title: str, lines: list[str]) -> str:
    """A clear message on the page (never a traceback): the one error box."""
    return render(TEMPLATES + "problem.html.j2", title=title, lines=lines)


def panels_html(framework, f: DashboardFigures) -> str:
    """The static site's LDU views: one panel per LDU (and all LDUs)."""
    panels = [
        (g, "all LDUs" if g == ALL_GROUPS else g, Markup(explorer_html(framework, f, g)))
        for g in [ALL_GROUPS, *f.groups]
    ]
    return render(TEMPLATES + "panels.html.j2", panels=panels)


@cache
def site_script_version() -> str:
    """A digest of the static site's script (``templates/dashboard/site.js``): the page asks for
    ``dashboard.js?v=<digest>``, so a browser never pairs a new page with an old cached script."""
    source = resources.files(__package__).joinpath("templates", "dashboard", "site.js")
    return hashlib.sha256(source.read_bytes()).hexdigest()[:8]


def site_html(framework, f: DashboardFigures, published: datetime | None = None) -> str:
    """The static page: every section, the LDU panels, when it was published."""
    body = "".join(
        [
            header_html(f),
            summary_html(f),
            notes_html(f),
            annex_html(f),
            heatmap_html(f),
            panels_html(framework, f),
            composition_html(f),
        ]
    )
    when = (published or datetime.now()).strftime("%d %B %Y %H:%M")
    page = render(
        TEMPLATES + "site.html.j2",
        title=f"{f.provider or f.title}: inspection dashboard",
        body=Markup(body),
        published=when,
        script=f"dashboard.js?v={site_script_version()}",
    )
    return page + "\n"


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
    "panels_html",
    "problem_html",
    "section",
    "site_html",
    "style_tag",
    "summary_html",
]
