"""RatingsBoard: the live ratings of an inspection, by standard for the whole sample and each LDU.

A table (rating word on its band colour, percentage, number of cases, discretion mark, margin
flag), the key-question chart under it, and how far each standard's lowest key question is
from the next band. After a saved judgement the board is updated incrementally
(:func:`workbook.ratings.update_ratings`), never re-rated from scratch; the old answer it takes
out is the board's own (what it last rated), not the store's previous one, so a colleague's
save in between cannot make its counts drift from the store's.

Colleagues' saves come in through :meth:`RatingsBoard.apply_changes` (the live follower of
:mod:`workbook.ui.inspect.live` calls it with new history entries): answers are taken in
incrementally the same way, a decision re-rates the standards with the new decisions, a lock
or reopen redraws the "as of locked cases only" figure, and anything else that can move a
rating (cases imported, an inspection restored) reloads the board. The team's other changes
(members, allocation, queries, second ratings...) do not touch the ratings and are ignored.

Beside the live overall rating, once the lead inspector has locked cases, the board shows the
ratings "as of locked cases only": the same rules over the locked cases' answers alone (with
the standing decisions), so the team can see which figures are settled.

With ``suppress_below`` (dashboard mode) the board follows the report's small-numbers rule
(:mod:`workbook.report`): complementary suppression in the table and the chart, no distance
for a standard with a hidden key question, no rating for it, and then no overall points.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from ... import charts, report
from ...errors import InputError, WorkbookError
from ...ratings import band_distance, rate, standard_change, update_ratings, with_decisions
from ...reasons import Reason
from ...render import Markup, render, style_tag
from ...store.reading import load_rated
from ..feedback import Feedback

TEMPLATES = "inspect/ratings_board/"
log = logging.getLogger(__name__)

# history entities (see workbook.store.history) and what each does to the board
ANSWER_ENTITIES = frozenset({"judgement", "adjudication"})  # taken in incrementally
RATING_FREE_ENTITIES = frozenset(  # the team's changes that never move a rating
    {"member", "allocation", "second_rater", "probe", "query", "second", "dip_sample"}
)


def _whole(value) -> str:
    """A bound of an interval as a whole number of percentage points ('' when there is none)."""
    return "" if value is None else f"{value:.0f}"


class RatingsBoard(widgets.VBox):
    """Live table and chart of an inspection's ratings (see the module's notes)."""

    ratings = traitlets.Any(
        None, help="The current workbook.ratings.Ratings (whole sample and breakdowns)."
    )
    attribute = traitlets.Unicode("ldu", help="The case attribute the columns break down by.")
    suppress_below = traitlets.Int(0, help="Hide figures over fewer cases than this (0: show all).")
    updates = traitlets.Int(
        0, help="How many saved changes the board has taken in since it was loaded."
    )
    last_change = traitlets.Unicode("", help="What the last update changed, in words.")
    disabled = traitlets.Bool(
        False, help="Read-only: the board never writes, so this only dims the controls."
    )
    locked_ratings = traitlets.Any(
        None, help="The ratings over the locked cases' answers only (None: no case is locked)."
    )
    locked_cases = traitlets.Tuple(help="The locked cases' ids, as the store last gave them.")
    reloads = traitlets.Int(0, help="How many times the board was rated again from the store.")

    def __init__(
        self,
        store,
        inspection: str,
        framework=None,
        attribute: str = "ldu",
        suppress_below: int | None = None,
        **kwargs,
    ):
        self.store = store
        self.inspection = inspection
        self.framework = framework or store.framework(inspection)
        self.title = widgets.HTML(render(TEMPLATES + "title.html.j2", inspection=inspection))
        self.style = widgets.HTML(style_tag())  # the one stylesheet, sent once
        self.refresh_button = widgets.Button(
            description="Refresh from the store",
            tooltip="Re-read every saved judgement and decision, colleagues' saves included",
            icon="refresh",
            layout=widgets.Layout(width="auto"),
        )
        self.refresh_button.on_click(lambda _: self.reload())
        self.overall = widgets.HTML()
        self.locked = widgets.HTML()  # "as of locked cases only", beside the live figure
        self.table = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.table.add_class("wb-board")
        self.distances = widgets.HTML()
        self.feedback = Feedback()
        self.chart_box = widgets.VBox()
        self.chart = None
        self._standard_rows: list[dict] = []
        self._row_html: dict[tuple, Markup] = {}  # the figures' rows as rendered
        self._table_key = None  # what the table shows now: (breakdown, threshold, rows)
        self._kq_rows: list[dict] = []
        self._template = None
        self._chart_kqs: tuple[str, ...] = ()
        self._sample_sizes: dict[str, int] = {}
        self._n_cases = 0
        self._answers: dict[tuple[str, str], str] = {}  # (case_id, question) -> answer rated
        super().__init__(
            children=[
                self.style,
                self.title,
                self.refresh_button,
                self.overall,
                self.locked,
                self.feedback,
                self.table,
                self.distances,
                self.chart_box,
            ],
            attribute=attribute,
            suppress_below=suppress_below or 0,
            **kwargs,
        )
        self.add_class("wb-ratings-board")
        self.reload()

    # -- loading and updating ------------------------------------------------------------------

    def reload(self) -> None:
        """Rate the inspection from the store (the only full re-rate; used when opening)."""
        try:
            rated = self._load_rated()
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return
        cases, judgements = rated.cases, rated.judgements
        self.framework = rated.framework  # the version the inspection is pinned to
        self._n_cases = len(cases)
        if "sample" in cases.columns:
            self._sample_sizes = cases["sample"].astype(str).value_counts().to_dict()
        self._answers = {
            (str(c), str(q)): str(a)
            for c, q, a in zip(
                judgements["case_id"], judgements["question"], judgements["answer"], strict=True
            )
        }
        self.ratings = rated.ratings
        self.reloads += 1
        self._update_locked()

    def _load_rated(self):
        """The inspection read and rated by the store's one reader, by the board's attribute
        when the cases have it."""
        by = (self.attribute,) if self.attribute else ()
        try:
            return load_rated(self.store, self.inspection, by=by)
        except InputError as exc:
            if not by or set(exc.codes) != {Reason.UNKNOWN_ATTRIBUTE}:
                raise
        return load_rated(self.store, self.inspection)  # no such attribute: the whole sample

    def judgement_saved(
        self, case_id: str, question: str, old: str | None, new: str | None
    ) -> None:
        """Take in one saved judgement (``old`` -> ``new``) without re-rating everything.

        ``old`` is what the caller saw before (the store's previous answer); the board takes out
        its own answer instead, the one it rated, so a colleague's save after the board loaded
        does not make its counts drift."""
        if self.ratings is None:
            return
        key = (str(case_id), str(question))
        old = self._answers.get(key)
        if old == new:
            return
        before = self.ratings.standards[self.framework.key_question(question).standard_id].rating
        self.ratings = update_ratings(self.framework, self.ratings, case_id, question, old, new)
        if new is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = new
        standard = self.framework.key_question(question).standard_id
        after = self.ratings.standards[standard].rating
        self.last_change = (
            f"{case_id}, {question}: {old or 'no answer'} -> {new or 'no answer'}; "
            + (
                f"{standard} moved from {before} to {after}"
                if before != after
                else f"{standard} stays {after}"
            )
        )
        self.updates += 1

    def decisions_changed(self, decisions) -> None:
        """Take in a new set of decisions (discretion and judged ratings)."""
        if self.ratings is not None:
            self.ratings = with_decisions(self.framework, self.ratings, decisions)
            self._update_locked(self.locked_cases)

    def apply_changes(self, entries: Iterable) -> None:
        """Take in changes saved by anyone (the live follower's history entries, oldest first).

        Answers (``judgement`` entries, and ``adjudication`` ones, whose final answer is the
        new one) go through :meth:`judgement_saved`: incremental, and a change the board has
        already taken in (this kernel's own save, passed to it by the form) changes nothing.
        ``decision`` entries re-rate the standards with the store's decisions; ``status``
        entries (lock, reopen) redraw the "as of locked cases only" figure; the team's other
        entries are ignored; any other entity (cases, the inspection) reloads the board, once.

        Parameters
        ----------
        entries
            :class:`workbook.store.values.HistoryEntry` values in the order they were saved.
        """
        entries = list(entries)
        kinds = {e.entity for e in entries}
        known = ANSWER_ENTITIES | RATING_FREE_ENTITIES | {"decision", "status"}
        if self.ratings is None or kinds - known:
            self.reload()
            return
        try:
            with self.hold_trait_notifications():
                for e in entries:
                    if e.entity in ANSWER_ENTITIES and e.case_id and e.question:
                        self.judgement_saved(e.case_id, e.question, e.old, e.new)
                if "decision" in kinds:
                    self.decisions_changed(self.store.decisions(self.inspection))
                if "status" in kinds:
                    self._update_locked()
        except WorkbookError as exc:  # never raise into the follower: the page shows it
            self.feedback.show_problems(exc)
        except (KeyError, ValueError):  # an entry the board cannot take in: read it all again
            log.exception("the ratings board could not take in a change; reloading")
            self.reload()

    # -- as of locked cases only ---------------------------------------------------------------

    def _update_locked(self, locked: Iterable[str] | None = None) -> None:
        """Rate the locked cases' answers alone (the board's own answers: no query but the
        locked cases' ids, and none when ``locked`` is given)."""
        if self.ratings is None:
            return
        if locked is None:
            try:
                locked = self.store.locked_cases(self.inspection)
            except WorkbookError as exc:
                self.feedback.show_problems(exc)
                return
        self.locked_cases = tuple(str(c) for c in locked)
        if not self.locked_cases:
            self.locked_ratings = None
            return
        chosen = set(self.locked_cases)
        rows = [(c, q, a) for (c, q), a in self._answers.items() if c in chosen]
        frame = pd.DataFrame(rows, columns=["case_id", "question", "answer"], dtype=object)
        self.locked_ratings = rate(self.framework, frame, self.ratings.decisions)

    def locked_band_of(self, standard: str) -> str | None:
        """The standard's rating as of locked cases only (None: no case locked, or no rating)."""
        if self.locked_ratings is None:
            return None
        return self.locked_ratings.standards[standard].rating

    @traitlets.observe("locked_ratings")
    def _on_locked(self, change) -> None:
        self._render_locked()

    def _render_locked(self) -> None:
        locked = self.locked_ratings
        if locked is None or self.ratings is None or self.suppress_below:
            # no case locked; or the stakeholders' mode, whose figures follow the report's rule
            self.locked.value = ""
            return
        live = self.ratings
        standards = [
            (f"{s.id} {s.name}", live.standards[s.id].rating, locked.standards[s.id].rating)
            for s in self.framework.standards
        ]
        self.locked.value = render(
            TEMPLATES + "locked.html.j2",
            n_locked=len(self.locked_cases),
            n_cases=self._n_cases,
            overall=locked.overall,
            live_overall=live.overall,
            standards=standards,
        )

    @traitlets.observe("ratings", "suppress_below")
    def _on_ratings(self, change) -> None:
        if self.ratings is None:
            return
        try:
            self._render()
        except WorkbookError as exc:  # never raise into the page
            self.feedback.show_problems(exc)

    # -- rendering -----------------------------------------------------------------------------

    @property
    def breakdown(self) -> str | None:
        return (
            self.attribute
            if self.attribute in (self.ratings.breakdowns if self.ratings else {})
            else None
        )

    def _render(self) -> None:
        fw, ratings = self.framework, self.ratings
        below = self.suppress_below or None
        standard_rows = report.standard_rows(fw, ratings, self.breakdown, below)
        # most saves move no standard's cell: the table is rendered again only when one moved
        table_key = (self.breakdown, below, standard_rows)
        redraw = table_key != self._table_key
        self._table_key = table_key
        self._standard_rows = standard_rows
        self._kq_rows = report.kq_rows(fw, ratings, self.breakdown, below)
        with self.hold_sync():
            self.overall.value = self._overall_html()
            self._render_locked()  # its "live" column follows the live figure
            if redraw:
                self.table.value = self._table_html()
            self.distances.value = self._distances_html()
            self._update_chart()

    @property
    def hidden_standards(self) -> tuple[str, ...]:
        """Standards whose whole-sample rating is not shown (a key question over too few cases)."""
        return report.hidden_standards(self.framework, self.ratings, self.suppress_below or None)

    def _overall_html(self) -> str:
        hidden = self.hidden_standards
        if hidden:
            why = report.overall_not_shown(hidden, self.suppress_below)
            return render(TEMPLATES + "overall.html.j2", why=why)
        o = self.ratings.overall
        return render(
            TEMPLATES + "overall.html.j2",
            why="",
            rating=o.rating,
            points=o.points,
            max_points=o.max_points,
            missing=list(o.missing),
        )

    @property
    def standard_rows(self) -> list[dict]:
        """The standards' figures the board shows now, one dict per standard and group
        (:func:`workbook.report.standard_rows`: standard, group, rating, pct, n, text...)."""
        return list(self._standard_rows)

    @property
    def table_frame(self):
        """The table the board shows, as :func:`workbook.report.standards_by_group_table` gives it."""
        return report.standards_frame(
            self._standard_rows, self.breakdown, self.suppress_below or None
        )

    @property
    def figures(self):
        """The key-question figures under the chart, as :func:`workbook.report.kq_figures` gives them."""
        return report.figures_frame(self._kq_rows)

    def _table_html(self) -> str:
        groups = list(dict.fromkeys(r["group"] for r in self._standard_rows))
        by_standard: dict[str, list] = {}
        for row in self._standard_rows:
            by_standard.setdefault(row["standard"], []).append(row)
        standards = [(f"{sid} {cells[0]['name']}", cells) for sid, cells in by_standard.items()]
        by = "LDU" if self.breakdown == "ldu" else (self.breakdown or "sample")
        return render(
            TEMPLATES + "table.html.j2",
            by=by,
            groups=groups,
            standards=standards,
            notes=report.standards_notes(self.suppress_below or None),
            pct_text=report.pct_text,
        )

    def _distances_html(self) -> str:
        fw, ratings = self.framework, self.ratings
        hidden = self.hidden_standards
        items = []
        for std in fw.standards:
            if std.rated_from != "cases" or std.id in hidden:
                continue  # no distance reveals how many of how few cases said Yes
            s = ratings.standards[std.id]
            if s.lowest_kq_band is None:
                continue
            for q in s.lowest_kqs:
                r = ratings.key_questions[q]
                kq = fw.key_question(q)
                remaining = None
                if kq.sample in self._sample_sizes:
                    remaining = max(
                        0, self._sample_sizes[kq.sample] - r.yes - r.no - r.not_applicable
                    )
                items.append(band_distance(fw, r, remaining=remaining).describe())
            items.append(standard_change(fw, ratings, std.id).describe())
        return render(TEMPLATES + "distances.html.j2", items=items)

    def _update_chart(self) -> None:
        values = charts.kq_chart_values(self._kq_rows)
        kqs = tuple(charts.sort_key_questions(v["kq"] for v in values))
        if self.chart is None or kqs != self._chart_kqs:
            chart = charts.draw_kq_chart(
                self._kq_rows, thresholds=[(t.rating, t.min_pct) for t in self.framework.thresholds]
            )
            self._template = chart.to_dict()
            self._chart_kqs = kqs
            if self.chart is None:
                alt.JupyterChart.enable_offline()  # JavaScript from the Python packages, never a CDN
                self.chart = alt.JupyterChart(chart, embed_options={"actions": False})
                self.chart_table = widgets.HTML()
                self.chart_box.children = [self.chart, self.chart_table]
            else:
                self.chart.spec = self._template
        else:
            spec = dict(self._template)
            spec["datasets"] = {**self._template["datasets"], charts.KQ_DATASET: values}
            self.chart.spec = spec
        self.chart_table.value = self._figures_html()

    def _figures_html(self) -> str:
        rows = [
            (
                r["kq"],
                r["group"],
                report.pct_text(r["pct"]),
                r["band"] or "",
                "" if r["n"] is None else r["n"],
                f"{_whole(r['ci80_lo'])}–{_whole(r['ci80_hi'])}",
                r["note"],
            )
            for r in self._kq_rows
        ]
        # a save changes a row or two: the others are kept as rendered
        if len(self._row_html) > 4 * len(rows):
            self._row_html.clear()
        for row in rows:
            if row not in self._row_html:
                self._row_html[row] = Markup(render(TEMPLATES + "figure_row.html.j2", row=row))
        body = Markup("").join(self._row_html[row] for row in rows)
        return render(TEMPLATES + "figures.html.j2", body=body)

    @property
    def chart_spec(self) -> dict:
        """The specification the chart shows now."""
        return self.chart.spec

    def band_of(self, standard: str, group: str = report.WHOLE_SAMPLE) -> str | None:
        """The rating the board shows for a standard in a group (None: no figure)."""
        for row in self._standard_rows:
            if row["standard"] == standard and row["group"] == group:
                return row["rating"]
        return None
