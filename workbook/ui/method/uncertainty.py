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

from ...charts.method import uncertainty_chart, uncertainty_text
from .part import MethodPart

EXAMPLE = ""  # the picker's value for the example figures, 49 Yes of 100
EXAMPLE_FIGURES = (49, 100)


class UncertaintyChart(MethodPart):
    """``figures`` maps key-question ids to (yes, n) (the demo inspection's, or any); the
    ``yes`` / ``n`` controls are a what-if for one key question. The ``question`` picker starts
    on the example (49 Yes of 100); picking a key question loads its figures from ``figures``
    into ``yes`` and ``n`` (a key question without figures keeps the counts, said in words)."""

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
        self._bands_of = kq_ids[0]  # the example is banded as the first key question is
        example = "Example: {} Yes of {}".format(*EXAMPLE_FIGURES)
        self.question = widgets.Dropdown(
            options=[(example, EXAMPLE)] + [(k, k) for k in kq_ids],
            value=EXAMPLE,
            description="Key question",
            style=style,
        )
        self._loading = False
        self.yes = widgets.BoundedIntText(
            value=EXAMPLE_FIGURES[0],
            min=0,
            max=100_000,
            description="Yes answers (k)",
            style=style,
            layout=widgets.Layout(width="200px"),
        )
        self.n = widgets.BoundedIntText(
            value=EXAMPLE_FIGURES[1],
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
        self.question.observe(self.guarded(self._on_question), "value")
        for control in (self.yes, self.n):
            control.observe(self.guarded(self._on_counts), "value")
        with self.showing_problems():
            if question:
                self.question.value = question  # loads its figures
            self._single()
            self._all()

    def _on_question(self, change) -> None:
        """Load the picked key question's figures (or the example's) into the counts."""
        picked = change["new"]
        counts = EXAMPLE_FIGURES if picked == EXAMPLE else self.figures.get(picked)
        if counts is not None:
            self._loading = True
            try:
                self.yes.value, self.n.value = counts  # Yes first: Yes <= n throughout
            finally:
                self._loading = False
        self._single()

    def _on_counts(self, change) -> None:
        if not self._loading:
            self._single()

    def _what(self, yes: int, n: int) -> str:
        """Where the counts come from, in words."""
        picked = self.question.value
        if picked == EXAMPLE:
            return "The example" if (yes, n) == EXAMPLE_FIGURES else "A what-if"
        known = self.figures.get(picked)
        if known is None:
            return f"No figures for {picked} in {self.source}: a what-if for {picked}"
        if known == (yes, n):
            return f"{picked} in {self.source}"
        return f"A what-if for {picked} ({self.source}: {known[0]} of {known[1]})"

    def _single(self) -> None:
        yes, n = int(self.yes.value), int(self.n.value)
        question = self.question.value or self._bands_of
        u = kq_uncertainty(self.framework, question, yes, n, self.seed, self.draws, self.prior)
        with self.hold_trait_notifications():
            self.probabilities = dict(u.probabilities)
            self.another_band = u.another_band
            self.below_half = share_below(yes, n, 0.5, self.prior)
        self.single_result.value = self.fragment(
            "uncertainty_single",
            what=self._what(yes, n),
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
        self.show_chart(uncertainty_chart(frame), uncertainty_text(frame))
