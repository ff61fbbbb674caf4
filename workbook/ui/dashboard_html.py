"""HTML fragments of the stakeholders' dashboard, shared by the Voilà page and the static site.

Every fragment is built from :class:`~workbook.ui.dashboard_figures.DashboardFigures` (already
aggregated and suppressed) and escaped. Charts are Altair specifications from
:mod:`workbook.charts` rendered to SVG by vl-convert with no network access, so a page needs
no JavaScript from anywhere to show them; each chart has a table beside it, and every band is
written as a word, never shown by colour alone.
"""

from __future__ import annotations

import html
import re

import altair as alt
import pandas as pd

from ..charts import BAND_COLOURS, BAND_TEXT, FONT_COLOUR, draw_heatmap, draw_kq_chart
from ..report import MARGIN_MARK, WHOLE_SAMPLE, fewer_than
from .dashboard_figures import COMPOSITION, DashboardFigures

ALL_GROUPS = "All LDUs"

STYLE = """
<style>
.wb-dash { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; font-size: 15px; line-height: 1.45; max-width: 1200px; }
.wb-dash h1 { font-size: 1.7em; margin: 0.2em 0; }
.wb-dash h2 { font-size: 1.3em; margin: 1.2em 0 0.4em; border-bottom: 2px solid #1d70b8; padding-bottom: 0.2em; }
.wb-dash h3 { font-size: 1.05em; margin: 0.8em 0 0.3em; }
.wb-dash table { border-collapse: collapse; margin: 0.3em 0 0.8em; }
.wb-dash th, .wb-dash td { border: 1px solid #b1b4b6; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
.wb-dash th { background: #f3f2f1; }
.wb-dash td.num { text-align: right; white-space: nowrap; }
.wb-dash tr.wb-standard td { font-weight: 600; background: #f8f8f8; }
.wb-dash .wb-overall { font-size: 1.25em; margin: 0.4em 0 0.8em; }
.wb-dash .wb-band { display: inline-block; white-space: nowrap; padding: 0.05em 0.45em; border-radius: 3px; font-weight: 600; }
.wb-dash .wb-muted { color: #505a5f; }
.wb-dash .wb-banner { background: #fff7bf; border-left: 5px solid #b58800; padding: 0.4em 0.8em; margin: 0.5em 0; }
.wb-dash .wb-problem { background: #fdecea; border-left: 5px solid #a4262c; padding: 0.6em 0.9em; }
.wb-dash .wb-pair { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.wb-dash figure { margin: 0; }
.wb-dash figcaption { font-size: 0.9em; color: #505a5f; max-width: 40em; }
.wb-dash .wb-small { display: flex; flex-wrap: wrap; gap: 1.5em; }
.wb-dash ol.wb-footnotes, .wb-dash ul.wb-notes { max-width: 60em; }
.wb-dash sup { font-size: 0.75em; }
</style>
"""


def esc(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def band_html(band: str | None, text: str | None = None) -> str:
    """A band as a word on its colour (the word always present)."""
    if not band:
        return esc(text or "")
    fill = BAND_COLOURS.get(band, "#f3f2f1")
    ink = BAND_TEXT.get(band, FONT_COLOUR)
    return f'<span class="wb-band" style="background:{fill};color:{ink}">{esc(text or band)}</span>'


def rating_html(rating: str | None, empty: str = "not yet rated") -> str:
    """A rating on its band colour; other words ("fewer than 5 cases", "not shown") as text."""
    if rating in BAND_COLOURS:
        return band_html(rating)
    return esc(rating or empty)


# -- charts --------------------------------------------------------------------------------------


def _vl_version() -> str | None:
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """An Altair chart as an SVG string, rendered offline (no URL may be fetched)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version(), allowed_base_urls=[])
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)


def figure_html(chart: alt.TopLevelMixin, label: str, caption: str = "") -> str:
    """A chart in a <figure>: the SVG labelled for screen readers, and a caption."""
    svg = chart_svg(chart).replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


# -- sections ------------------------------------------------------------------------------------


def header_html(f: DashboardFigures) -> str:
    banner = ""
    if "synthetic" in (f.provider or "").lower() or "demo" in (f.title or "").lower():
        banner = '<p class="wb-banner">Synthetic demonstration data: invented cases modelled on a published inspection report; not real people.</p>'
    return (
        f"<h1>{esc(f.provider or f.title)}</h1>"
        f'<p class="wb-muted">Inspection {esc(f.title)} · {esc(f.framework_name)}</p>{banner}'
        f'<p class="wb-overall" id="wb-overall">Overall rating: {rating_html(f.overall)}</p>'
    )


def summary_html(f: DashboardFigures) -> str:
    """The report's summary of ratings: domains, standards, ratings with footnote markers, the
    overall rating last, then the footnotes with their reasons."""
    t = f.summary
    rows = []
    current = None
    for r in t.to_dict(orient="records"):
        if r["domain"] == "Overall":
            rows.append(
                f'<tr class="wb-standard"><td colspan="2">Overall rating <span class="wb-muted">({esc(r["name"])})</span></td>'
                f"<td>{rating_html(r['rating'])}</td></tr>"
            )
            continue
        if r["domain"] != current:
            current = r["domain"]
            rows.append(f'<tr><th colspan="3" scope="rowgroup">{esc(current)}</th></tr>')
        mark = (
            f'<sup><a href="#wb-fn-{esc(r["mark"])}" id="wb-fnref-{esc(r["mark"])}">{esc(r["mark"])}</a></sup>'
            if r["mark"]
            else ""
        )
        judged = (
            ' <span class="wb-muted">(judged from evidence)</span>'
            if r["rated_from"] == "judgement"
            else ""
        )
        rows.append(
            f"<tr><td>{esc(r['standard'])}</td><td>{esc(r['name'])}{judged}</td>"
            f"<td>{rating_html(r['rating'])}{mark}</td></tr>"
        )
    notes = "".join(
        f'<li id="wb-fn-{esc(r["mark"])}">{esc(r["standard"])} {esc(r["name"])}: {esc(r["reason"])}</li>'
        for r in t.to_dict(orient="records")
        if r["mark"]
    )
    footnotes = (
        '<p class="wb-muted">A number beside a rating: the inspectors set it by professional '
        "discretion, taking wider evidence into account, for the reason given here.</p>"
        f'<ol class="wb-footnotes">{notes}</ol>'
        if notes
        else ""
    )
    return (
        '<h2 id="wb-summary">Summary of ratings</h2>'
        '<table class="wb-summary"><thead><tr><th scope="col">Standard</th><th scope="col">Name</th>'
        f'<th scope="col">Rating</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{footnotes}'
    )


def annex_html(f: DashboardFigures) -> str:
    """Annex 2 style: each standard with its rating, each key question with % Yes, band and n."""
    t = f.annex
    rows = []
    for r in t.to_dict(orient="records"):
        n = "" if pd.isna(r["n"]) else str(int(r["n"]))
        if r["kind"] == "standard":
            mark = f"<sup>{esc(r['mark'])}</sup>" if r["mark"] else ""
            rows.append(
                f'<tr class="wb-standard"><td>{esc(r["item"])}</td><td>{esc(r["text"])}</td>'
                f'<td colspan="3">{rating_html(r["rating"] or None)}{mark}</td></tr>'
            )
        else:
            rows.append(
                f'<tr><td>{esc(r["item"])}</td><td>{esc(r["text"])}</td><td class="num">{esc(r["pct"])}</td>'
                f'<td>{band_html(r["band"] or None, r["band"])}</td><td class="num">{n}</td></tr>'
            )
    reasons = {r["standard"]: r["reason"] for r in f.summary.to_dict(orient="records") if r["mark"]}
    names = {r["standard"]: r["name"] for r in f.summary.to_dict(orient="records")}
    notes = "".join(
        f"<li>{esc(r['item'])} {esc(names.get(r['item'], ''))}: {esc(reasons.get(r['item'], ''))}</li>"
        for r in t.to_dict(orient="records")
        if r["kind"] == "standard" and r["mark"]
    )
    return (
        '<h2 id="wb-annex">Inspection results by key question</h2>'
        '<p class="wb-muted">As in Annex 2 of an inspection report: each key question\'s share of Yes '
        "among the cases it applies to, its band, and the number of cases (n).</p>"
        '<table class="wb-annex"><thead><tr><th scope="col">Item</th><th scope="col">Standard or key question</th>'
        '<th scope="col">% Yes</th><th scope="col">Band</th><th scope="col">n</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        + (f'<ol class="wb-footnotes">{notes}</ol>' if notes else "")
    )


def _cell_text(r: dict) -> tuple[str | None, str]:
    if r["suppressed"]:
        return None, r.get("note") or ""
    if r["pct"] is None or pd.isna(r["pct"]):
        return None, "no answers yet"
    flag = f" {MARGIN_MARK}" if r.get("flagged") else ""
    return r["band"], f"{r['band']} {int(r['pct'])}%{flag}"


def heatmap_table_html(f: DashboardFigures) -> str:
    """The heatmap's table: key questions by group, band word and % in each cell."""
    groups = [WHOLE_SAMPLE, *f.groups]
    cells = {(r["kq"], r["group"]): r for r in f.figures.to_dict(orient="records")}
    kqs = list(dict.fromkeys(f.figures["kq"]))
    head = "".join(f'<th scope="col">{esc(g)}</th>' for g in groups)
    body = []
    for kq in kqs:
        tds = []
        for g in groups:
            r = cells.get((kq, g))
            band, text = _cell_text(r) if r else (None, "")
            tds.append(f"<td>{band_html(band, text)}</td>")
        body.append(f'<tr><th scope="row">{esc(kq)}</th>{"".join(tds)}</tr>')
    return f'<table class="wb-heatmap-table"><thead><tr><th scope="col">Key question</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def heatmap_html(f: DashboardFigures) -> str:
    chart = draw_heatmap(_chart_rows(f.figures), title="Key questions by LDU: band and % Yes")
    cases = ", ".join(f"{g}: {n}" for g, n in f.group_cases.items())
    return (
        '<h2 id="wb-ldus">Key questions by LDU</h2>'
        f'<p class="wb-muted">Cases in each LDU: {esc(cases)}. {MARGIN_MARK} marks a figure whose margin of error is above 5 percentage points.</p>'
        '<div class="wb-pair">'
        + figure_html(
            chart,
            "Heatmap of each key question's band and percentage of Yes, by LDU; the same figures are in the table beside it.",
        )
        + heatmap_table_html(f)
        + "</div>"
    )


def _chart_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """Only what a chart needs: no counts of Yes, No or not applicable."""
    return figures.drop(
        columns=[c for c in ("yes", "no", "not_applicable", "pct_exact") if c in figures.columns]
    )


def explorer_rows(f: DashboardFigures, group: str, standard: str | None = None) -> pd.DataFrame:
    """The figures for one LDU (with the whole sample beside it) and one standard."""
    groups = [WHOLE_SAMPLE, *f.groups] if group == ALL_GROUPS else [WHOLE_SAMPLE, group]
    rows = f.figures[f.figures["group"].isin(groups)]
    if standard:
        rows = rows[rows["standard"] == standard]
    kq_order = {k: i for i, k in enumerate(dict.fromkeys(f.figures["kq"]))}
    rank = {
        g: i for i, g in enumerate(groups if group != ALL_GROUPS else [WHOLE_SAMPLE, *f.groups])
    }
    rows = rows.assign(_k=rows["kq"].map(kq_order), _g=rows["group"].map(rank)).sort_values(
        ["_k", "_g"]
    )
    return _chart_rows(rows.drop(columns=["_k", "_g"]))


def explorer_chart(f: DashboardFigures, rows: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    thresholds = tuple((r, p) for r, p in f.thresholds if p > 0)
    return draw_kq_chart(rows, thresholds=thresholds, title=title, width=420)


def explorer_table_html(rows: pd.DataFrame, kq_text: dict[str, str]) -> str:
    body = []
    for r in rows.to_dict(orient="records"):
        band, text = _cell_text(r)
        if r["suppressed"] or r["pct"] is None or pd.isna(r["pct"]):
            pct, n, interval = text, "", ""
            band_cell = ""
        else:
            pct = f"{int(r['pct'])}%"
            n = str(int(r["n"]))
            interval = f"{r['ci80_lo']:.0f}–{r['ci80_hi']:.0f}%"
            band_cell = band_html(band) + (f" {MARGIN_MARK}" if r.get("flagged") else "")
        body.append(
            f"<tr><td>{esc(r['kq'])}</td><td>{esc(kq_text.get(r['kq'], ''))}</td><td>{esc(r['group'])}</td>"
            f'<td class="num">{esc(pct)}</td><td>{band_cell}</td><td class="num">{esc(n)}</td><td class="num">{esc(interval)}</td></tr>'
        )
    return (
        '<table class="wb-explorer-table"><thead><tr><th scope="col">Key question</th><th scope="col">Text</th>'
        '<th scope="col">Group</th><th scope="col">% Yes</th><th scope="col">Band</th><th scope="col">n</th>'
        f'<th scope="col">80% interval</th></tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def composition_chart(counts: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """A small bar chart of the (suppressed) counts: suppressed values have no bar, only their
    words."""
    data = counts.assign(bar=[0 if pd.isna(c) else int(c) for c in counts["cases"]])[
        ["value", "bar", "text"]
    ]
    order = data["value"].tolist()
    base = alt.Chart(alt.Data(values=data.to_dict(orient="records"))).encode(
        y=alt.Y("value:N", title=None, sort=order), x=alt.X("bar:Q", title="Cases")
    )
    bars = base.mark_bar(color="#0072b2")
    text = base.mark_text(align="left", dx=3, fontSize=11, color=FONT_COLOUR).encode(text="text:N")
    return (
        alt.layer(bars, text)
        .properties(width=200, height=max(40, 22 * len(order)), padding={"right": 110})
        .configure_view(stroke=None)
    )


def composition_html(f: DashboardFigures) -> str:
    parts = []
    for column, label in COMPOSITION.items():
        counts = f.composition[column]
        rows = "".join(
            f'<tr><td>{esc(v)}</td><td class="num">{esc(t)}</td></tr>'
            for v, t in zip(counts["value"], counts["text"], strict=True)
        )
        table = f'<table><thead><tr><th scope="col">{esc(label)}</th><th scope="col">Cases</th></tr></thead><tbody>{rows}</tbody></table>'
        parts.append(
            f"<div><h3>{esc(label)}</h3>{figure_html(composition_chart(counts, label), f'Bar chart of the cases by {label.lower()}; the same counts are in the table under it.')}{table}</div>"
        )
    return (
        '<h2 id="wb-sample">The sample</h2>'
        f'<p class="wb-muted">The cases inspected, by their characteristics. Groups of {esc(fewer_than(f.suppress_below))} are not counted.</p>'
        f'<div class="wb-small">{"".join(parts)}</div>'
    )


def notes_html(f: DashboardFigures) -> str:
    items = "".join(f"<li>{esc(n)}</li>" for n in f.notes)
    return f'<h2 id="wb-method">How the ratings are formed</h2><ul class="wb-notes">{items}</ul>'


def problem_html(title: str, lines: list[str]) -> str:
    """A clear message on the page (never a traceback)."""
    items = "".join(f"<li>{esc(x)}</li>" for x in lines)
    return f'{STYLE}<div class="wb-dash"><div class="wb-problem" role="alert"><strong>{esc(title)}</strong><ul>{items}</ul></div></div>'
