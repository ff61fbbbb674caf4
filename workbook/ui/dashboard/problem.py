"""``DashboardProblem``: what the dashboard shows when the store or the inspection cannot be
read: the one error box, never a traceback."""

from __future__ import annotations

import ipywidgets as widgets

from ...render.dashboard import problem_html


class DashboardProblem(widgets.VBox):
    """A title and the problems, one per line, in the dashboard's error box."""

    def __init__(self, title: str, lines: list[str], **kwargs):
        super().__init__(**kwargs)
        self.message = widgets.HTML(problem_html(title, lines))
        self.children = [self.message]
        self.add_class("wb-dashboard-problem")
