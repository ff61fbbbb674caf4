"""OverallCalculator: pick each standard's rating and see the points, the overall band and
the cut points on the 0-maximum scale, for a framework of 9, 10 or 12 standards."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbook.framework import Framework
from workbook.ratings import overall_cut_points, rate_overall

from ...charts.method import overall_scale_chart, overall_scale_text
from .part import MethodPart

SIZES = (9, 10, 12)


class OverallCalculator(MethodPart):
    """A rating dropdown per standard; ``size_picker`` switches between 9, 10 and 12 standards
    and ``framework_picker`` between frameworks (their standards name the dropdowns)."""

    n_standards = traitlets.Int(help="How many standards count in the overall rating.")
    points = traitlets.Int(0, help="Points of the chosen standard ratings.")
    max_points = traitlets.Int(0, help="The most points possible for this many standards.")
    rating = traitlets.Unicode("", help="The overall band of the points.")
    cut_points = traitlets.List(
        help="(band, lowest points, highest points) for each overall band, lowest first."
    )

    def __init__(self, frameworks: Sequence[Framework] | Framework, start: str = "Good", **kwargs):
        frameworks = [frameworks] if isinstance(frameworks, Framework) else list(frameworks)
        self.frameworks = {f.id: f for f in frameworks}
        self.start = start
        self.framework_picker = widgets.Dropdown(
            options=list(self.frameworks),
            description="Framework",
            style={"description_width": "initial"},
        )
        counted = len([s for s in frameworks[0].standards if s.counts_in_overall])
        self.size_picker = widgets.ToggleButtons(
            options=[(f"{n} standards", n) for n in SIZES],
            value=counted if counted in SIZES else 10,
            description="Standards",
            tooltips=[f"A framework of {n} standards: maximum {3 * n} points" for n in SIZES],
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.rating_pickers: list[widgets.Dropdown] = []
        self.picker_box = widgets.GridBox(
            layout=widgets.Layout(
                grid_template_columns="repeat(auto-fill, 260px)", grid_gap="4px 12px"
            )
        )
        self.result = widgets.HTML()
        self.chart = None
        self.chart_box = widgets.Box()
        self.table = widgets.HTML()
        super().__init__(**kwargs)
        self.children = [
            widgets.HBox([self.framework_picker, self.size_picker]),
            self.picker_box,
            self.result,
            widgets.HBox(
                [self.chart_box, self.table],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
            self.feedback,
        ]
        self.framework_picker.observe(self.guarded(lambda _: self._build()), "value")
        self.size_picker.observe(self.guarded(self._on_size), "value")
        self.n_standards = self.size_picker.value

    @property
    def framework(self) -> Framework:
        return self.frameworks[self.framework_picker.value]

    def _on_size(self, change) -> None:
        self.n_standards = change["new"]

    @traitlets.observe("n_standards")
    def _on_n(self, change) -> None:
        with self.showing_problems():
            self._build()

    def _labels(self) -> list[str]:
        ids = [s.id for s in self.framework.standards if s.counts_in_overall]
        labels = [f"Standard {i}" for i in ids[: self.n_standards]]
        return labels + [
            f"Extra standard {k}" for k in range(len(labels) + 1, self.n_standards + 1)
        ]

    def _build(self) -> None:
        old = [p.value for p in self.rating_pickers]
        for p in self.rating_pickers:
            p.unobserve_all()
        self.rating_pickers = []
        for i, label in enumerate(self._labels()):
            picker = widgets.Dropdown(
                options=list(self.framework.ratings),
                value=old[i] if i < len(old) else self.start,
                description=label,
                style={"description_width": "110px"},
                layout=widgets.Layout(width="250px"),
            )
            picker.observe(self.guarded(lambda _: self._rate()), "value")
            self.rating_pickers.append(picker)
        self.picker_box.children = self.rating_pickers
        self._rate()

    def set_ratings(self, ratings: Sequence[str]) -> None:
        """Set every dropdown at once (as many ratings as standards)."""
        if len(ratings) != len(self.rating_pickers):
            raise ValueError(
                f"{len(ratings)} ratings given for {len(self.rating_pickers)} standards"
            )
        for r in ratings:
            if r not in self.framework.ratings:
                raise ValueError(
                    f"'{r}' is not a rating; allowed: {', '.join(self.framework.ratings)}"
                )
        for picker, r in zip(self.rating_pickers, ratings, strict=True):
            picker.value = r
        self._rate()

    def _rate(self) -> None:
        fw = self.framework
        result = rate_overall(fw, [p.value for p in self.rating_pickers])
        cuts = overall_cut_points(fw, self.n_standards)
        frame = pd.DataFrame(cuts, columns=["band", "low", "high"])
        # the chart first (the slow step), then the words: both from these figures
        self.show_chart(
            overall_scale_chart(frame, result.points, result.max_points),
            overall_scale_text(frame, result.points, result.max_points, result.rating),
        )
        with self.hold_trait_notifications():
            self.points = result.points
            self.max_points = result.max_points
            self.rating = result.rating
            self.cut_points = [list(c) for c in cuts]
        # the table before the sentence: when the sentence changes, the table has
        # already changed with it
        table = frame.rename(
            columns={"band": "Overall band", "low": "From (points)", "high": "To (points)"}
        )
        self.table.value = self.table_html(
            table, f"Cut points for {self.n_standards} standards (0-{result.max_points})"
        )
        per = ", ".join(f"{r} {p}" for r, p in sorted(fw.points.items(), key=lambda kv: -kv[1]))
        self.result.value = self.fragment(
            "overall_result",
            points=result.points,
            max_points=result.max_points,
            rating=result.rating,
            per=per,
        )
