"""``DashboardPage``: the stakeholders' dashboard, read-only and aggregate-only.

Built from :class:`~workbook.ui.dashboard_figures.DashboardFigures` and the framework; it holds
no store and no case, so nothing on it can write a judgement or show a single case.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..framework import Framework
from .dashboard_explorer import LduExplorer
from .dashboard_figures import DashboardFigures
from .dashboard_html import (
    STYLE,
    annex_html,
    composition_html,
    header_html,
    heatmap_html,
    notes_html,
    problem_html,
    summary_html,
)


def _html(body: str) -> widgets.HTML:
    return widgets.HTML(f'<div class="wb-dash">{body}</div>')


class DashboardPage(widgets.VBox):
    """Summary of ratings, the Annex 2 table, the LDU views, the sample and the method notes."""

    def __init__(self, framework: Framework, figures: DashboardFigures, **kwargs):
        super().__init__(**kwargs)
        self.framework = framework
        self.figures = figures
        self.summary = _html(STYLE + header_html(figures) + summary_html(figures))
        self.annex = _html(annex_html(figures))
        self.heatmap = _html(heatmap_html(figures))
        self.explorer = LduExplorer(framework, figures)
        self.sample = _html(composition_html(figures))
        self.method = _html(notes_html(figures))
        self.children = [
            self.summary,
            self.method,
            self.annex,
            self.heatmap,
            self.explorer,
            self.sample,
        ]
        self.add_class("wb-dashboard")


class DashboardProblem(widgets.VBox):
    """What the page shows instead when the store or the inspection cannot be read."""

    def __init__(self, title: str, lines: list[str], **kwargs):
        super().__init__(**kwargs)
        self.message = widgets.HTML(problem_html(title, lines))
        self.children = [self.message]
        self.add_class("wb-dashboard-problem")
