"""``LduExplorer``: one LDU and one standard at a time, a chart and its table side by side.

A selector for the LDU (or all of them) and one for the standard; changing either redraws the
chart (each key question's % Yes with its 80% interval and the band thresholds, the whole
sample beside the LDU) and the table. Only aggregated, suppressed figures are used: a visitor can
set the selectors to any value, and a value that is not an option is refused by the widgets.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ..framework import Framework
from .dashboard_figures import DashboardFigures
from .dashboard_html import (
    ALL_GROUPS,
    explorer_chart,
    explorer_rows,
    explorer_table_html,
    figure_html,
)


class LduExplorer(widgets.VBox):
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
        heading = widgets.HTML(
            '<h2 id="wb-explore" style="font-size:1.3em;border-bottom:2px solid #1d70b8;margin:1.2em 0 0.4em">'
            "One LDU, one standard</h2>"
        )
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
        f = self.figures
        rows = explorer_rows(f, self.group, self.standard or None)
        label = dict(f.standards(self.framework)).get(self.standard, self.standard)
        where = "all LDUs" if self.group == ALL_GROUPS else self.group
        title = f"{label}: {where} and the whole sample"
        chart = figure_html(
            explorer_chart(f, rows, title),
            f"Chart of each key question of {label}, % Yes with its 80% interval, for {where} and the whole sample; the same figures are in the table beside it.",
            "Dots: % Yes; lines: 80% interval; dashed rules: band thresholds.",
        )
        self.view.value = f'<div class="wb-dash"><div class="wb-pair">{chart}{explorer_table_html(rows, self.kq_text)}</div></div>'
