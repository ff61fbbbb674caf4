"""``LduExplorer``: one LDU and one standard at a time, a chart and its table side by side.

A selector for the LDU (or all of them) and one for the standard (native ``<select>`` elements,
labelled, keyboard-operable); each pair shows its view, rendered beforehand in the dashboard's
snapshot (:mod:`workbook.render.snapshot`), so picking costs a dictionary look-up. A live region
(``status``, class ``wb-live``: the workbook's Voilà template makes it ``role="status"``) says
which view is shown, in the words the static site's selectors use. A visitor can send any value: a value that is not an option is
refused by the widgets, and a flood of picks draws once, the last one, after ``delay`` seconds
of quiet (when an event loop runs, as in a kernel; otherwise each pick draws at once).
"""

from __future__ import annotations

import asyncio

import ipywidgets as widgets
import traitlets


class LduExplorer(widgets.VBox):
    """Pickers for the LDU and the standard over the chart and table of their figures."""

    group = traitlets.Unicode("", help="The LDU shown (or all LDUs).")
    standard = traitlets.Unicode("", help="The id of the standard shown.")

    def __init__(self, snapshot: dict, delay: float = 0.15, **kwargs):
        super().__init__(**kwargs)
        self.delay = delay
        self.draws = 0  # views sent to the page (a flood of picks costs one)
        self._pending: asyncio.TimerHandle | None = None
        self.group_picker = widgets.Dropdown(
            description="LDU",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.standard_picker = widgets.Dropdown(
            description="Standard",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.group_picker.add_class("wb-ldu-picker")
        self.standard_picker.add_class("wb-standard-picker")
        self.view = widgets.HTML()
        self.view.add_class("wb-explorer")
        self.heading = widgets.HTML()
        self.status = widgets.Label()
        self.status.add_class("wb-live")
        self.status.add_class("wb-view-status")
        self.pickers = widgets.HBox([self.group_picker, self.standard_picker])
        self.pickers.add_class("wb-pickers")
        self.children = [self.heading, self.pickers, self.status, self.view]
        self.show(snapshot)
        self.group_picker.observe(self._picked, names="value")
        self.standard_picker.observe(self._picked, names="value")

    def show(self, snapshot: dict) -> None:
        """Take the views of ``snapshot``, keeping the visitor's picks where they still exist."""
        self.snapshot = snapshot
        self.heading.value = snapshot["explorer_heading"]
        group, standard = self.group, self.standard
        groups = snapshot["groups"]
        standards = [(label, sid) for sid, label in snapshot["standards"]]
        ids = [sid for _, sid in standards]
        with self.hold_trait_notifications():
            self.group_picker.options = groups
            self.group_picker.value = group if group in groups else groups[0]
            self.standard_picker.options = standards
            self.standard_picker.value = standard if standard in ids else (ids[0] if ids else None)
        self._draw()

    def _picked(self, _change=None) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._draw()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.delay, self._draw)

    def _draw(self) -> None:
        self._pending = None
        group = self.group_picker.value or self.snapshot["groups"][0]
        standard = self.standard_picker.value or ""
        view = self.snapshot["views"].get(group, {}).get(standard, "")
        with self.hold_trait_notifications():
            self.group, self.standard = group, standard
        if view != self.view.value:
            self.view.value = view
            self.draws += 1
        self.status.value = self.snapshot["statuses"].get(group, {}).get(standard, "")
