"""``DashboardPage``: the stakeholders' dashboard, read-only and aggregate-only.

Built from :class:`~workbook.report.dashboard.DashboardFigures` and the framework; it holds
no store and no case, so nothing on it can write a judgement or show a single case.
"""

from __future__ import annotations

import ipywidgets as widgets

from ...framework import Framework
from ...render import dashboard as html
from ...report.dashboard import DashboardFigures
from .explorer import LduExplorer


def _html(body: str, style: bool = False) -> widgets.HTML:
    return widgets.HTML(html.section(body, style=style))


class DashboardPage(widgets.VBox):
    """Summary of ratings, the Annex 2 table, the LDU views, the sample and the method notes."""

    def __init__(self, framework: Framework, figures: DashboardFigures, **kwargs):
        super().__init__(**kwargs)
        self.framework = framework
        self.figures = figures
        self.summary = _html(html.header_html(figures) + html.summary_html(figures), style=True)
        self.annex = _html(html.annex_html(figures))
        self.heatmap = _html(html.heatmap_html(figures))
        self.explorer = LduExplorer(framework, figures)
        self.sample = _html(html.composition_html(figures))
        self.method = _html(html.notes_html(figures))
        self.children = [
            self.summary,
            self.method,
            self.annex,
            self.heatmap,
            self.explorer,
            self.sample,
        ]
        self.add_class("wb-dashboard")
