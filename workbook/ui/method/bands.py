"""BandExplorer: move the Yes answers of each key question of a standard and watch the key
questions' bands and the standard's lowest-band rating form."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from workbook.framework import Framework
from workbook.ratings import Tally, rate_tally

from ...charts.method import band_bars_chart, band_bars_text
from .part import MethodPart
from .slider import NamedSlider

DEFAULT_N = 60
DEFAULT_YES = (
    45,
    40,
    33,
    52,
)  # of 60: 75% Good, 67% Good, 55% Requires improvement, 87% Outstanding


class BandExplorer(MethodPart):
    """A slider of Yes answers (out of n) per key question of the chosen standard.

    ``demo_figures`` maps key-question ids to (yes, n) of the demo inspection; the
    ``load_demo`` button sets the sliders to them (disabled when there are none)."""

    standard = traitlets.Unicode(help="The id of the standard being explored, such as '2.1'.")
    rating = traitlets.Unicode(
        None,
        allow_none=True,
        help="The standard's lowest-band rating for the figures on the sliders.",
    )
    reason = traitlets.Unicode(
        "", help="Why the standard has that rating (the key questions in its lowest band)."
    )
    figures = traitlets.Dict(help="Key-question id -> [yes, n] on the sliders.")

    def __init__(
        self,
        framework: Framework,
        demo_figures: Mapping[str, tuple[int, int]] | None = None,
        standard: str | None = None,
        **kwargs,
    ):
        self.framework = framework
        self.demo_figures = {k: (int(y), int(n)) for k, (y, n) in (demo_figures or {}).items()}
        case_standards = [s for s in framework.standards if s.rated_from == "cases"]
        self.standard_picker = widgets.Dropdown(
            options=[(f"{s.id} {s.name}", s.id) for s in case_standards],
            value=standard or case_standards[0].id,
            description="Standard",
            style={"description_width": "initial"},
        )
        self.load_demo = widgets.Button(
            description="Load the demo inspection's figures",
            disabled=not self.demo_figures,
            tooltip="Set every slider to the demo inspection's Yes answers and case counts",
            layout=widgets.Layout(width="auto"),
        )
        self.sliders: dict[str, NamedSlider] = {}
        self.sizes: dict[str, widgets.BoundedIntText] = {}
        self.slider_box = widgets.VBox()
        self.rating_label = widgets.HTML()
        self.rating_label.add_class("method-standard-rating")
        self.chart = None
        self.chart_box = widgets.Box()
        self.table = widgets.HTML()
        super().__init__(**kwargs)
        self.children = [
            widgets.HBox([self.standard_picker, self.load_demo]),
            self.slider_box,
            self.rating_label,
            widgets.HBox(
                [self.chart_box, self.table],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
            self.feedback,
        ]
        self.standard_picker.observe(self.guarded(self._on_pick), "value")
        self.load_demo.on_click(self.guarded(lambda _: self.use_figures(self.demo_figures)))
        self.standard = self.standard_picker.value

    # -- state ------------------------------------------------------------------------------

    def _on_pick(self, change) -> None:
        self.standard = change["new"]

    @traitlets.observe("standard")
    def _on_standard(self, change) -> None:
        with self.showing_problems():
            self._build_sliders()
            self._rate()

    @staticmethod
    def _start(position: int) -> tuple[int, int]:
        return (DEFAULT_YES[position % len(DEFAULT_YES)], DEFAULT_N)

    def _build_sliders(self) -> None:
        for w in list(self.sliders.values()) + list(self.sizes.values()):
            w.unobserve_all()
        self.sliders, self.sizes, rows = {}, {}, []
        for position, kq in enumerate(self.framework.standard(self.standard).key_questions):
            yes, n = self._start(position)
            # a rating per release or key press (the slider's way): a chart redraw takes ~0.15 s
            slider = NamedSlider(
                value=yes,
                min=0,
                max=n,
                description=f"{kq.id} Yes answers",
                value_text=f"{yes} of {n}",
                layout=widgets.Layout(width="420px"),
            )
            size = widgets.BoundedIntText(
                value=n,
                min=1,
                max=5000,
                description="of n =",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="150px"),
            )
            slider.observe(self.guarded(lambda _: self._rate()), "value")
            size.observe(self.guarded(self._on_size), "value")
            self.sliders[kq.id], self.sizes[kq.id] = slider, size
            rows.append(
                widgets.HBox(
                    [
                        slider,
                        size,
                        widgets.HTML(self.fragment("kq_text", text=kq.text)),
                    ]
                )
            )
        self.slider_box.children = rows

    def _on_size(self, change) -> None:
        for kq_id, size in self.sizes.items():
            slider = self.sliders[kq_id]
            if slider.max != size.value:
                with self.hold_sync():
                    slider.value = min(slider.value, size.value)
                    slider.max = size.value
        self._rate()

    def use_figures(self, figures: Mapping[str, tuple[int, int]]) -> None:
        """Set the sliders to ``figures`` (key-question id -> (yes, n)); others keep theirs."""
        if not figures:
            raise ValueError(
                "there are no demo figures to load: the demo inspection is not in the data folder"
            )
        for kq_id, slider in self.sliders.items():
            if kq_id in figures:
                yes, n = figures[kq_id]
                if n < 1:
                    continue
                size = self.sizes[kq_id]
                size.value = n
                slider.max = n
                slider.value = yes
        self._rate()

    # -- rating -----------------------------------------------------------------------------

    def _rate(self) -> None:
        kq_ids = tuple(q.id for q in self.framework.rated_key_questions)
        counts = np.zeros((len(kq_ids), 3), dtype=np.int64)
        figures = {}
        for kq_id, slider in self.sliders.items():
            yes, n = int(slider.value), int(self.sizes[kq_id].value)
            if not 0 <= yes <= n:
                raise ValueError(
                    f"{kq_id}: {yes} Yes answers out of {n} is not possible; Yes must be between 0 and {n}"
                )
            counts[kq_ids.index(kq_id)] = (yes, n - yes, 0)
            figures[kq_id] = [yes, n]
        ratings = rate_tally(self.framework, Tally(kq_ids, counts))
        result = ratings.standards[self.standard]
        kq_results = [ratings.key_questions[k] for k in self.sliders]
        frame = pd.DataFrame(
            {
                "question": [r.id for r in kq_results],
                "yes": [r.yes for r in kq_results],
                "n": [r.n for r in kq_results],
                "pct": [r.pct_rounded for r in kq_results],
                "band": [r.band for r in kq_results],
            }
        )
        thresholds = pd.DataFrame(
            {
                "band": [t.rating for t in self.framework.thresholds],
                "min_pct": [t.min_pct for t in self.framework.thresholds],
            }
        )
        # the sliders' spoken values at once (they follow the handle), then the chart (the
        # slow step), then the words: the chart and the words from the same figures
        for kq_id, (yes, n) in figures.items():
            self.sliders[kq_id].value_text = f"{yes} of {n}"
        self.show_chart(
            band_bars_chart(frame, thresholds),
            band_bars_text(frame, thresholds, f"standard {self.standard}"),
        )
        with self.hold_trait_notifications():
            self.figures = figures
            self.rating = result.rating
            self.reason = result.reason
        table = frame.rename(
            columns={
                "question": "Key question",
                "yes": "Yes",
                "n": "Yes + No",
                "pct": "% Yes (rounded)",
                "band": "Band",
            }
        )
        self.table.value = self.table_html(table, f"Key questions of standard {self.standard}")
        self.rating_label.value = self.fragment(
            "bands_rating", standard=self.standard, rating=result.rating, reason=result.reason
        )
