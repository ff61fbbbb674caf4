"""``LduExplorer``: one LDU and one standard at a time, a chart and its table side by side.

A selector for the LDU (or all of them) and one for the standard; changing either redraws the
chart (each key question's % Yes with its 80% interval and the band thresholds, the whole
sample beside the LDU) and the table. Only aggregated, suppressed figures are used: a visitor can
set the selectors to any value, and a value that is not an option is refused by the widgets.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...framework import Framework
from ...render import dashboard as html
from ...report.dashboard import ALL_GROUPS, DashboardFigures


class LduExplorer(widgets.VBox):
    """Pickers for the LDU and the standard over the chart and table of their figures."""

    group = traitlets.Unicode(ALL_GROUPS, help="The LDU shown (or all LDUs).")
    standard = traitlets.Unicode("", help="The id of the standard shown.")

    def __init__(self, framework: Framework, figures: DashboardFigures, **kwargs):
        super().__init__(**kwargs)
        self.framework = framework
        self.figures = figures
        self.kq_text = {q.id: q.text for q in framework.rated_key_questions}
        standards = figures.standards(framework)
        self.group_picker = widgets.Dropdown(
            options=[ALL_GROUPS, *figures.groups],
            value=ALL_GROUPS,
            description="LDU",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.standard_picker = widgets.Dropdown(
            options=[(label, sid) for sid, label in standards],
            value=standards[0][0] if standards else None,
            description="Standard",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.group_picker.add_class("wb-ldu-picker")
        self.standard_picker.add_class("wb-standard-picker")
        self.view = widgets.HTML()
        self.view.add_class("wb-explorer")
        heading = widgets.HTML(html.explorer_heading())
        self.children = [
            heading,
            widgets.HBox([self.group_picker, self.standard_picker]),
            self.view,
        ]
        self.group_picker.observe(self._picked, names="value")
        self.standard_picker.observe(self._picked, names="value")
        self.standard = self.standard_picker.value or ""
        self._draw()

    def _picked(self, _change=None) -> None:
        with self.hold_trait_notifications():
            self.group = self.group_picker.value or ALL_GROUPS
            self.standard = self.standard_picker.value or ""
        self._draw()

    def _draw(self) -> None:
        view = html.explorer_html(self.framework, self.figures, self.group, self.standard or None)
        self.view.value = html.section(view)
