"""NamedSlider: a whole-number slider whose handle has an accessible name.

ipywidgets' ``IntSlider`` draws its handle as a ``<div role="slider">`` with no name (its
``description`` is a ``<label>`` that labels nothing), so a screen reader hears "slider, 45"
and axe reports it (``aria-input-field-name``). This one is a native ``<input type="range">``
named by its visible ``<label>`` (``static/slider.js``, an anywidget shipped with the package):
"2.1.1 Yes answers, slider, 45 of 60". Keys move it as any range input (arrows, Page Up/Down,
Home, End); the kernel hears the value on release or on a key press, as ``IntSlider`` with
``continuous_update=False`` does. A visitor can send any value: it is kept within min..max.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

SCRIPT = Path(__file__).resolve().parent / "static" / "slider.js"


class NamedSlider(anywidget.AnyWidget):
    """A labelled range input: ``value`` between ``min`` and ``max`` in steps of ``step``."""

    value = traitlets.Int(0, help="The chosen whole number.").tag(sync=True)
    min = traitlets.Int(0, help="The smallest value.").tag(sync=True)
    max = traitlets.Int(100, help="The largest value.").tag(sync=True)
    step = traitlets.Int(1, help="The step between values.").tag(sync=True)
    description = traitlets.Unicode(
        "", help="The visible label, which is also the slider's accessible name."
    ).tag(sync=True)
    value_text = traitlets.Unicode(
        "", help="What a screen reader says for the value (aria-valuetext), such as '45 of 60'."
    ).tag(sync=True)
    disabled = traitlets.Bool(False, help="Shown but not movable.").tag(sync=True)
    _esm = SCRIPT.read_text(encoding="utf-8")

    def __init__(self, **kwargs):
        kwargs.pop("continuous_update", None)  # always: the value is sent on release
        bounds = {k: kwargs.pop(k) for k in ("min", "max") if k in kwargs}
        value = kwargs.pop("value", None)
        super().__init__(**kwargs)
        with self.hold_trait_notifications():
            if "max" in bounds:
                self.max = bounds["max"]
            if "min" in bounds:
                self.min = bounds["min"]
            if value is not None:
                self.value = value
        self.add_class("wb-named-slider")

    @traitlets.validate("value")
    def _within_bounds(self, proposal) -> int:
        return max(self.min, min(self.max, int(proposal["value"])))

    @traitlets.validate("max")
    def _max_not_below_min(self, proposal) -> int:
        return max(int(proposal["value"]), self.min)

    @traitlets.observe("min", "max")
    def _keep_value_within(self, change) -> None:
        clamped = max(self.min, min(self.max, self.value))
        if clamped != self.value:
            self.value = clamped
