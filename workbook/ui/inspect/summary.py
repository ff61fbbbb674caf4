"""CaseSummary: the compact live summary beside the form. The overall rating; for each
standard the case's sample touches, its rating for the whole sample and for the case's LDU
(band word and percentage); and what the last saved answer changed, worked out from the
board's ratings just before and just after the save::

    2.1 in Worcestershire: Requires improvement 63% -> Good 66%

or "No rating changed" with the percentages that moved. It never rates anything itself: it
reads the :class:`~workbook.ui.inspect.ratings_board.RatingsBoard`'s rows (the report's
``standard_rows``) each time the board's ``ratings`` change. Register
:meth:`CaseSummary.judgement_saved` with the form's ``on_saved`` after the board's.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...render import render
from ...report import WHOLE_SAMPLE, pct_text

TEMPLATE = "inspect/summary/summary.html.j2"
ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable", None: "no answer"}


def _figure(row: dict | None) -> tuple[str | None, str]:
    """(rating, percentage text) of a board row; (None, '') when there is no figure."""
    if row is None or row.get("rating") is None:
        return None, ""
    return row["rating"], pct_text(row.get("pct"))


def _kq_figure(ratings, question: str, group: str) -> str:
    """A key question's percentage in a group ('' without answers or ratings)."""
    if ratings is None:
        return ""
    if group == WHOLE_SAMPLE:
        results = ratings.key_questions
    else:
        results = next(
            (g[group].key_questions for g in ratings.breakdowns.values() if group in g), {}
        )
    r = results.get(question)
    return pct_text(r.pct_rounded) if r is not None else ""


def _overall(ratings) -> str:
    if ratings is None or ratings.overall.rating is None:
        return "not yet rated"
    return ratings.overall.rating


def _words(rating: str | None, pct: str) -> str:
    return f"{rating} {pct}".strip() if rating else "no rating"


class CaseSummary(widgets.VBox):
    """The case's standards and what the last answer changed (see the module's notes)."""

    case_id = traitlets.Unicode("", help="The case summarised; empty: none.")
    ldu = traitlets.Unicode("", help="The case's LDU, the second column of figures.")
    sample = traitlets.Unicode("", help="The case's sample: which standards it touches.")
    change_lines = traitlets.List(
        traitlets.Unicode(), help="What the last saved answer changed, one line per group."
    )
    rating_changed = traitlets.Bool(
        False, help="True when the last saved answer moved a rating (a standard's or overall)."
    )
    updates = traitlets.Int(0, help="How many times the summary was drawn again.")

    def __init__(self, board, framework=None, **kwargs):
        self.board = board
        self.framework = framework or board.framework
        self.view = widgets.HTML()
        self._before: dict[tuple[str, str], tuple[str | None, str]] = {}
        self._now: dict[tuple[str, str], tuple[str | None, str]] = {}
        self._ratings_before = None  # the board's Ratings before and after the last change
        self._ratings_now = None
        self._last = ""
        self._fresh = False  # the board's ratings changed since the last saved answer
        super().__init__(children=[self.view], **kwargs)
        self.add_class("wb-case-summary")
        self._take(self.board.standard_rows)
        self.board.observe(self._on_ratings, names="ratings")
        self._draw()

    # -- inputs --------------------------------------------------------------------------------

    def show_case(self, case: dict | None) -> None:
        """Summarise this case (a row of the store's cases: case_id, sample, ldu...)."""
        case = case or {}
        with self.hold_sync():
            self.case_id = str(case.get("case_id") or "")
            self.ldu = str(case.get("ldu") or "")
            self.sample = str(case.get("sample") or "")
            self.change_lines = []
            self.rating_changed = False
            self._last = ""
        self._draw()

    def _take(self, rows) -> None:
        self._before, self._ratings_before = self._now, self._ratings_now
        self._now = {(r["standard"], r["group"]): _figure(r) for r in rows}
        self._ratings_now = self.board.ratings

    def _on_ratings(self, change) -> None:
        self._take(self.board.standard_rows)
        self._fresh = True
        self._draw()

    def judgement_saved(
        self, case_id: str, question: str, old: str | None, new: str | None
    ) -> None:
        """Say what this saved answer changed (the board has already taken it in)."""
        if not self._fresh:  # the board took nothing in (the answer it rated was already this)
            self._before, self._ratings_before = self._now, self._ratings_now
        self._fresh = False
        standard = self.framework.key_question(question).standard_id
        groups = [(WHOLE_SAMPLE, "all cases")]
        if self.ldu:
            groups.append((self.ldu, self.ldu))
        moved, shifted = [], []
        for group, words in groups:
            before = self._before.get((standard, group), (None, ""))
            after = self._now.get((standard, group), (None, ""))
            if before[0] != after[0]:
                moved.append(f"{standard} in {words}: {_words(*before)} -> {_words(*after)}")
                continue
            kq_before = _kq_figure(self._ratings_before, question, group)
            kq_after = _kq_figure(self._ratings_now, question, group)
            if kq_before != kq_after:
                shifted.append(
                    f"{question} in {words}: {kq_before or 'no figure'} -> "
                    f"{kq_after or 'no figure'} ({standard} stays {_words(*after)})"
                )
        overall = [_overall(r) for r in (self._ratings_before, self._ratings_now)]
        if overall[0] != overall[1]:
            moved.append(f"Overall: {overall[0]} -> {overall[1]}")
        self._last = f"{question}: {ANSWER_WORDS.get(old, old)} -> {ANSWER_WORDS.get(new, new)}"
        with self.hold_sync():
            self.rating_changed = bool(moved)
            self.change_lines = moved + shifted
        self._draw()

    # -- drawing -------------------------------------------------------------------------------

    def _rows(self) -> list[dict]:
        out = []
        for std in self.framework.standards_for_sample(self.sample):
            if std.rated_from != "cases":
                continue
            whole = self._now.get((std.id, WHOLE_SAMPLE), (None, ""))
            local = self._now.get((std.id, self.ldu), (None, "")) if self.ldu else (None, "")
            out.append({"id": std.id, "name": std.name, "whole": whole, "local": local})
        return out

    def _draw(self) -> None:
        ratings = self.board.ratings
        overall = ratings.overall if ratings is not None else None
        self.view.value = render(
            TEMPLATE,
            case_id=self.case_id,
            ldu=self.ldu,
            overall=overall,
            rows=self._rows(),
            last=self._last,
            moved=self.rating_changed,
            lines=self.change_lines,
        )
        self.updates += 1
