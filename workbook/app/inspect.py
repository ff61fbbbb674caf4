"""The inspectors' workbook: opens the store and an inspection and builds the page's parts.

    from workbook.app.inspect import open_workbook
    wb = open_workbook()          # the settings' inspection (the demo by default)
    wb.navigator                  # find a case
    wb.form                       # answer its key questions
    wb.board                      # see the ratings move

In dashboard mode (``WORKBOOK_MODE=dashboard``) the store is opened read-only and nothing
case-level (navigator, form, notes, loader) is built: only aggregate views, with small numbers
suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import ipywidgets as widgets

from ..config import DEMO_INSPECTION, load_settings
from ..errors import StoreError, WorkbookError
from ..render import render, style_tag
from ..report import problems_html
from ..store.names import path_part

MESSAGE = "inspect/page/message.html.j2"


def _page_problem(exc: WorkbookError, title: str) -> str:
    """The error box for the page's message area, with the stylesheet (no board is built yet)."""
    return str(style_tag()) + problems_html(exc, title)


def _enable_offline_charts() -> None:
    """Altair charts as widgets with their JavaScript from the Python packages (no CDN)."""
    try:
        alt.JupyterChart.enable_offline()
    except Exception:  # anywidget or vl-convert missing: the charts' tables still show
        pass


@dataclass
class InspectionWorkbook:
    """The parts of the inspectors' page. In dashboard mode the case-level parts are None."""

    store: object
    inspection: str
    inspector: str
    mode: str
    framework: object = None
    loader: object = None
    navigator: object = None
    form: object = None
    board: object = None
    decisions: object = None
    export: object = None
    message: widgets.HTML = field(default_factory=widgets.HTML)

    @property
    def page(self) -> widgets.Widget:
        """Everything in one tabbed page (handy in Voilà)."""
        tabs, titles = [], []
        if self.navigator is not None:
            tabs.append(
                widgets.HBox(
                    [self.navigator, self.form], layout=widgets.Layout(align_items="flex-start")
                )
            )
            titles.append("Cases")
        if self.board is not None:
            tabs.append(self.board)
            titles.append("Ratings")
        if self.decisions is not None:
            tabs.append(self.decisions)
            titles.append("Decisions")
        if self.export is not None:
            tabs.append(self.export)
            titles.append("Export")
        if self.loader is not None:
            tabs.append(self.loader)
            titles.append("New inspection")
        tab = widgets.Tab(children=tabs)
        for i, title in enumerate(titles):
            tab.set_title(i, title)
        return widgets.VBox([self.message, tab])

    @property
    def assess(self) -> widgets.Widget:
        """The navigator beside the form, with the board under them."""
        parts = [self.message]
        if self.navigator is not None:
            parts.append(
                widgets.HBox(
                    [self.navigator, self.form], layout=widgets.Layout(align_items="flex-start")
                )
            )
        if self.board is not None:
            parts.append(self.board)
        return widgets.VBox(parts)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def open_workbook(
    inspection: str | None = None, inspector: str | None = None, db_url: str | None = None
) -> InspectionWorkbook:
    """Open the store and the inspection and build the page's parts (see the module's notes).
    Problems (a store that cannot be opened, an unknown inspection) are shown on the page."""
    from ..store import open_store

    _enable_offline_charts()
    try:
        settings = load_settings()
    except WorkbookError as exc:
        wb = InspectionWorkbook(
            store=None, inspection=inspection or "", inspector=inspector or "", mode="dashboard"
        )
        wb.message.value = _page_problem(exc, "The workbook's settings are not valid.")
        return wb
    name = inspection or settings.inspection
    who = inspector or settings.inspector
    try:
        store = open_store(
            db_url or settings.db_url,
            read_only=settings.dashboard,
            frameworks=settings.frameworks_dir,
        )
    except WorkbookError as exc:
        wb = InspectionWorkbook(store=None, inspection=name, inspector=who, mode=settings.mode)
        wb.message.value = _page_problem(exc, "The store cannot be opened.")
        return wb
    wb = InspectionWorkbook(store=store, inspection=name, inspector=who, mode=settings.mode)
    try:
        wb.framework = _open_inspection(wb, settings.dashboard)
    except WorkbookError as exc:
        wb.message.value = _page_problem(exc, f"The inspection '{name}' cannot be opened.")
        if not settings.dashboard:
            wb.loader = _loader(wb, settings)
        return wb
    if settings.dashboard:
        _build_summary(wb, settings)
    else:
        _build_workbook(wb, settings)
    return wb


def _open_inspection(wb: InspectionWorkbook, dashboard: bool):
    """The inspection's framework; the demo inspection is loaded on first use (not in
    dashboard mode, which never writes)."""
    store, name = wb.store, wb.inspection
    try:
        store.inspection(name)
    except StoreError:
        if name != DEMO_INSPECTION or dashboard:
            raise
        try:
            from ..demo import ensure_demo
        except ImportError:
            raise StoreError(
                f"The demo inspection '{name}' is not in the store and the demo data cannot be loaded here. "
                "Load it with `python -m workbook demo`, or open another inspection."
            ) from None
        wb.message.value = render(MESSAGE, kind="loading")
        ensure_demo(store)
    return store.framework(name)


def _loader(wb: InspectionWorkbook, settings):
    from ..ui.inspect.sample_loader import SampleLoader

    return SampleLoader(
        wb.store,
        data_dir=settings.data_dir,
        inspector=wb.inspector,
        frameworks_dir=settings.frameworks_dir,
    )


def _build_summary(wb: InspectionWorkbook, settings) -> None:
    """Dashboard mode: aggregate views only. No component that writes (store or files) and
    nothing that names a person (decision authors, history) is built."""
    from ..ui.inspect.ratings_board import RatingsBoard

    wb.board = RatingsBoard(
        wb.store, wb.inspection, wb.framework, suppress_below=settings.suppression
    )
    wb.message.value = render(
        MESSAGE, kind="summary", inspection=wb.inspection, suppression=settings.suppression
    )


def _build_workbook(wb: InspectionWorkbook, settings) -> None:
    """Every part of the inspectors' page, wired: the navigator picks the form's case, the
    form's saves move the board and the navigator, decisions move the board, and the export
    panel exports what the board shows."""
    from ..ui.inspect.case_navigator import CaseNavigator
    from ..ui.inspect.decisions_panel import DecisionsPanel
    from ..ui.inspect.export_panel import ExportPanel
    from ..ui.inspect.judgement_form import JudgementForm
    from ..ui.inspect.ratings_board import RatingsBoard

    store, name, fw, who = wb.store, wb.inspection, wb.framework, wb.inspector
    wb.board = RatingsBoard(store, name, fw)
    wb.navigator = CaseNavigator(store, name, fw)
    wb.form = JudgementForm(store, name, fw, inspector=who)
    wb.decisions = DecisionsPanel(store, name, fw, inspector=who)
    wb.export = ExportPanel(
        fw,
        ratings=wb.board.ratings,
        folder=Path(settings.home) / "exports" / path_part(name),
        stem=path_part(name),
        home=settings.home,
    )
    wb.loader = _loader(wb, settings)
    widgets.dlink((wb.navigator, "case_id"), (wb.form, "case_id"))
    widgets.dlink((wb.board, "ratings"), (wb.export, "ratings"))
    wb.form.on_saved(wb.board.judgement_saved)
    wb.form.on_saved(wb.navigator.judgement_saved)
    wb.decisions.on_saved(wb.board.decisions_changed)
    wb.message.value = render(
        MESSAGE, kind="open", inspection=name, framework=fw.name, inspector=who
    )
    if wb.navigator.shown:
        wb.navigator.next_not_assessed()
        if not wb.navigator.case_id:
            wb.navigator.case_id = wb.navigator.shown[0]
