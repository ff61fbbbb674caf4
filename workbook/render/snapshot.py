"""The dashboard as a rendered snapshot: every fragment of the page, rendered once.

:func:`build_snapshot` renders, from figures already aggregated and suppressed, each section of
the stakeholders' page and the view for every LDU and standard a visitor can pick (with the
words the selectors' live region says for it), as HTML strings (charts as inline SVG). The
result is plain data (a ``dict`` of strings, see :mod:`workbook.ui.dashboard.snapshot` for its
file and its fields), so a visit's kernel shows the page without pandas, Altair or the store:
the figures are computed once per change of the inspection, not once per visit. The static
site is rendered from the same snapshot (:func:`workbook.render.dashboard.site_page`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..report.dashboard import ALL_GROUPS, DashboardFigures
from ..ui.dashboard.snapshot import FORMAT
from . import dashboard as html


def build_snapshot(
    framework, f: DashboardFigures, *, inspection: str, token: str, suppression: int
) -> dict:
    """Every fragment of the dashboard page for one inspection, keyed by ``token`` (the
    inspection's last change, :meth:`workbook.store.Store.last_change`) and ``suppression``
    (the threshold the figures were suppressed with)."""
    standards = [[sid, label] for sid, label in f.standards(framework)]
    groups = [ALL_GROUPS, *f.groups]
    views = {
        group: {
            sid: html.section(html.explorer_html(framework, f, group, sid)) for sid, _ in standards
        }
        for group in groups
    }
    statuses = {
        group: {sid: html.view_status(f, framework, group, sid) for sid, _ in standards}
        for group in groups
    }
    return {
        "format": FORMAT,
        "inspection": inspection,
        "token": token,
        "suppression": suppression,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "style": str(html.style_tag()),
        "summary": html.section(html.header_html(f) + html.summary_html(f)),
        "method": html.section(html.notes_html(f)),
        "annex": html.section(html.annex_html(f)),
        "heatmap": html.section(html.heatmap_html(f)),
        "explorer_heading": html.section(html.explorer_heading(f)),
        "sample": html.section(html.composition_html(f)),
        "groups": groups,
        "standards": standards,
        "views": views,
        "statuses": statuses,
    }
