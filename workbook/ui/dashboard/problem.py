"""``DashboardProblem``: what the dashboard shows when the store or the inspection cannot be
read: the one error box, never a traceback."""

from __future__ import annotations

import ipywidgets as widgets

from ...render import render


class DashboardProblem(widgets.VBox):
    """A title and the problems, one per line, in the dashboard's error box."""

    def __init__(self, title: str, lines: list[str], **kwargs):
        super().__init__(**kwargs)
        self.message = widgets.HTML(render("dashboard/problem.html.j2", title=title, lines=lines))
        self.children = [self.message]
        self.add_class("wb-dashboard-problem")
