"""UncertaintyChart: how sure a band is. For an observed k of n, the probability that the true
share lies in each band and the chance that a fresh sample of the same size gives another
band; shown for every key question of an inspection, near-boundary key questions first."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbook.framework import Framework
from workbook.uncertainty import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    JEFFREYS,
    NEAR_BOUNDARY,
    PRIOR_TEXT,
    kq_uncertainty,
    share_below,
    uncertainty_frame,
)

from ...charts.method import uncertainty_chart
from .part import MethodPart


class UncertaintyChart(MethodPart):
    """``figures`` maps key-question ids to (yes, n) (the demo inspection's, or any); the
    ``yes`` / ``n`` controls are a what-if for one key question."""

    frame = traitlets.Instance(
        pd.DataFrame, allow_none=True, help="workbook.uncertainty.uncertainty_frame of the figures."
    )
    probabilities = traitlets.Dict(
        help="For the what-if k of n: band -> probability that the true share lies in it."
    )
    another_band = traitlets.Float(
        0.0,
        help="For the what-if k of n: chance a fresh sample of the same size gives another band.",
    )
    below_half = traitlets.Float(
        0.0, help="For the what-if k of n: probability that the true share is below 50%."
    )

    def __init__(
        self,
        framework: Framework,
        figures: Mapping[str, tuple[int, int]] | None = None,
        source: str = "the demo inspection",
        seed: int = DEFAULT_SEED,
        draws: int = DEFAULT_DRAWS,
        prior: tuple[float, float] = JEFFREYS,
        question: str | None = None,
        **kwargs,
    ):
        self.framework = framework
        self.figures = {k: (int(y), int(n)) for k, (y, n) in (figures or {}).items() if int(n) > 0}
        self.source, self.seed, self.draws, self.prior = source, seed, draws, prior
        style = {"description_width": "initial"}
        kq_ids = [q.id for q in framework.rated_key_questions]
        self.question = widgets.Dropdown(
            options=kq_ids, value=question or kq_ids[0], description="Key question", style=style
        )
        self.yes = widgets.BoundedIntText(
            value=49,
            min=0,
            max=100_000,
            description="Yes answers (k)",
            style=style,
            layout=widgets.Layout(width="200px"),
        )
        self.n = widgets.BoundedIntText(
            value=100,
            min=1,
            max=100_000,
            description="of n (Yes + No)",
            style=style,
            layout=widgets.Layout(width="200px"),
        )
        self.single_result = widgets.HTML()
        self.chart = None
        self.chart_box = widgets.Box()
        self.table = widgets.HTML()
        self.summary = widgets.HTML()
        super().__init__(**kwargs)
        self.children = [
            widgets.HTML(
                self.fragment(
                    "prior", prior=PRIOR_TEXT.get(prior, str(prior)), draws=f"{draws:,}", seed=seed
                )
            ),
            widgets.HBox(
                [self.question, self.yes, self.n], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.single_result,
            self.feedback,
            self.summary,
            widgets.HBox(
                [self.chart_box, self.table],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
        ]
        for control in (self.question, self.yes, self.n):
            control.observe(self.guarded(lambda _: self._single()), "value")
        with self.showing_problems():
            self._single()
            self._all()

    def _single(self) -> None:
        yes, n = int(self.yes.value), int(self.n.value)
        u = kq_uncertainty(
            self.framework, self.question.value, yes, n, self.seed, self.draws, self.prior
        )
        with self.hold_trait_notifications():
            self.probabilities = dict(u.probabilities)
            self.another_band = u.another_band
            self.below_half = share_below(yes, n, 0.5, self.prior)
        self.single_result.value = self.fragment(
            "uncertainty_single",
            yes=yes,
            n=n,
            pct=f"{100 * yes / n:.1f}",
            band=u.band,
            probabilities=[(b, f"{100 * p:.1f}") for b, p in u.probabilities.items()],
            below_half=f"{100 * self.below_half:.1f}",
            another=f"{100 * u.another_band:.0f}",
        )

    def _all(self) -> None:
        if not self.figures:
            self.frame = None
            self.summary.value = self.fragment("uncertainty_summary", rows=0)
            return
        frame = uncertainty_frame(self.framework, self.figures, self.seed, self.draws, self.prior)
        self.frame = frame
        rows = frame.drop_duplicates("question").sort_values(
            ["another_band", "question"], ascending=[False, True]
        )
        near = rows[rows["near_boundary"]]["question"].tolist()
        self.summary.value = self.fragment(
            "uncertainty_summary",
            source=self.source,
            near=near,
            rows=len(rows),
            threshold=f"{NEAR_BOUNDARY:.0%}",
        )
        wide = frame.pivot(index="question", columns="band", values="probability").reindex(
            columns=[t.rating for t in self.framework.thresholds]
        )
        table = rows[
            ["question", "yes", "n", "pct", "observed_band", "another_band", "near_boundary"]
        ].merge(wide, left_on="question", right_index=True)
        for band in wide.columns:
            table[band] = (100 * table[band]).round(1)
        table["another_band"] = (100 * table["another_band"]).round(0).astype(int)
        table["near_boundary"] = table["near_boundary"].map({True: "yes", False: "no"})
        table = table.rename(
            columns={
                "question": "Key question",
                "yes": "Yes",
                "n": "Yes + No",
                "pct": "% Yes",
                "observed_band": "Band",
                "another_band": "Another band on a fresh sample (%)",
                "near_boundary": "Near a boundary",
                **{b: f"P({b}) %" for b in wide.columns},
            }
        )
        self.table.value = self.table_html(
            table, f"Uncertainty of each key question's band ({self.source})"
        )
        chart = uncertainty_chart(frame)
        if self.chart is None:
            self.chart = self.chart_view(chart)
            self.chart_box.children = [self.chart]
        else:
            self.chart.chart = chart
