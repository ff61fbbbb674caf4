"""SampleSizeExplorer: how many cases a sample needs, and how the margin of error grows when
a figure is read for one LDU's sub-sample."""

from __future__ import annotations

from statistics import NormalDist

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbook.stats import MARGIN_FLAG, margin_of_error, sample_size

from ...charts.method import margin_chart, margin_text
from .part import MethodPart
from .slider import NamedSlider

CONFIDENCES = (0.80, 0.90, 0.95)


class SampleSizeExplorer(MethodPart):
    """``population``, ``confidence`` and ``margin`` (points) give the sample size and its
    formula; ``subsample`` is an LDU's number of cases and gives its margin of error."""

    n = traitlets.Int(0, help="Cases needed (rounded up).")
    formula = traitlets.Unicode("", help="The formula with the figures put in.")
    subsample_margin = traitlets.Float(
        0.0, help="Margin of error of the LDU sub-sample, percentage points."
    )

    def __init__(self, population: int = 240, subsample: int = 30, **kwargs):
        style = {"description_width": "initial"}
        self.population = widgets.BoundedIntText(
            value=population,
            min=1,
            max=1_000_000,
            description="Eligible cases (population N)",
            style=style,
        )
        self.confidence = widgets.Dropdown(
            options=[(f"{c:.0%}", c) for c in CONFIDENCES],
            value=0.80,
            description="Confidence",
            style=style,
        )
        self.margin = widgets.BoundedFloatText(
            value=5.0,
            min=0.5,
            max=50.0,
            step=0.5,
            description="Margin of error (points)",
            style=style,
        )
        self.result = widgets.HTML()
        self.subsample = NamedSlider(
            value=subsample,
            min=2,
            max=max(2, population),
            description="Cases in an LDU sub-sample",
            layout=widgets.Layout(width="520px"),
        )
        self.subsample_result = widgets.HTML()
        self.chart = None
        self.chart_box = widgets.Box()
        self.table = widgets.HTML()
        super().__init__(**kwargs)
        self.children = [
            widgets.HBox(
                [self.population, self.confidence, self.margin],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            self.result,
            self.subsample,
            self.subsample_result,
            widgets.HBox(
                [self.chart_box, self.table],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
            self.feedback,
        ]
        for control in (self.population, self.confidence, self.margin, self.subsample):
            control.observe(self.guarded(lambda _: self._update()), "value")
        with self.showing_problems():
            self._update()

    def _update(self) -> None:
        population = int(self.population.value)
        confidence = float(self.confidence.value)
        size = sample_size(population, confidence=confidence, margin=float(self.margin.value) / 100)
        self.n, self.formula = size.n, size.formula
        self.result.value = self.fragment(
            "sample_size",
            n=size.n,
            population=population,
            confidence=f"{confidence:.0%}",
            margin=f"{self.margin.value:g}",
            formula=size.formula,
        )
        if self.subsample.max != max(2, population):
            self.subsample.max = max(2, population)
        z = NormalDist().inv_cdf(0.5 + confidence / 2)
        sub = int(self.subsample.value)
        self.subsample_margin = margin_of_error(sub, z)
        whole = margin_of_error(size.n, z, population)
        flag = (
            " — above 5 points: a breakdown flags it" if self.subsample_margin > MARGIN_FLAG else ""
        )
        self.subsample_result.value = self.fragment(
            "subsample",
            sub=sub,
            margin=f"{self.subsample_margin:.1f}",
            flag=flag,
            n=size.n,
            whole=f"{whole:.1f}",
        )
        top = max(sub, min(population, 200), 10)
        sizes = sorted(set(range(5, top + 1, 5)) | {sub})
        frame = pd.DataFrame({"size": sizes, "margin": [margin_of_error(s, z) for s in sizes]})
        shown = frame[frame["size"].isin(sorted({10, 20, 30, 50, 75, 100, 150, 200, sub}))]
        table = shown.assign(margin=shown["margin"].round(1)).rename(
            columns={"size": "Cases in the sub-sample", "margin": "Margin of error (points)"}
        )
        self.table.value = self.table_html(table, f"Margin of error at {confidence:.0%} confidence")
        self.show_chart(margin_chart(frame, sub, MARGIN_FLAG), margin_text(frame, sub, MARGIN_FLAG))
