"""InspectionPicker: the top bar's drop-down of the store's inspections and the "New
inspection" button. Its ``value`` trait is the inspection picked (the screen opens it in
place); :meth:`InspectionPicker.on_new` hears the button.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...errors import WorkbookError
from ..feedback import Feedback


class InspectionPicker(widgets.HBox):
    """Pick which inspection the workbook shows, or start a new one (see the module's notes)."""

    value = traitlets.Unicode("", help="The inspection picked (its name).")
    names = traitlets.List(traitlets.Unicode(), help="The store's inspections, by name.")

    def __init__(self, store, value: str = "", new: bool = True, **kwargs):
        self.store = store
        self._new = widgets.CallbackDispatcher()
        self.feedback = Feedback()
        self.dropdown = widgets.Dropdown(
            description="Inspection", layout=widgets.Layout(width="22em")
        )
        self.dropdown.style.description_width = "auto"
        self.new_button = widgets.Button(
            description="New inspection",
            icon="plus",
            tooltip="Check or draw a case sample and create an inspection",
            layout=widgets.Layout(width="auto", display="" if new else "none"),
        )
        self.new_button.on_click(lambda _: self.feedback.dispatch(self._new))
        super().__init__(**kwargs)
        self.children = [self.dropdown, self.new_button, self.feedback]
        self.add_class("wb-inspection-picker")
        self.dropdown.observe(self._on_pick, names="value")
        self.refresh(value)

    def on_new(self, callback, remove: bool = False) -> None:
        """Call ``callback()`` when "New inspection" is pressed."""
        self._new.register_callback(callback, remove=remove)

    def refresh(self, select: str | None = None) -> None:
        """Read the store's inspections again; pick ``select`` (default: keep the current one)."""
        try:
            names = [i.name for i in self.store.inspections()]
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return
        pick = self.value if select is None else select
        if pick and pick not in names:
            names.append(pick)  # shown even before it exists (the demo is loaded on opening)
        self.names = sorted(names)
        with self.hold_sync():
            self.dropdown.unobserve(self._on_pick, names="value")
            try:
                self.dropdown.options = self.names
                self.dropdown.value = pick or None
            finally:
                self.dropdown.observe(self._on_pick, names="value")
        self.value = pick or ""

    def _on_pick(self, change) -> None:
        if change["new"]:
            self.value = change["new"]
