"""The inspectors' workbook: opens the store and an inspection and builds the page as one
screen (:class:`~workbook.ui.inspect.screen.WorkbookScreen`)::

    from workbook.app.inspect import open_workbook
    wb = open_workbook()          # the settings' inspection (the demo by default)
    wb.screen                     # the whole page: picker, case list, form, live summary, tabs

Picking another inspection in the screen's picker, or creating one in its *New inspection*
tab, opens it in place: every part is built again for it (``wb.navigator``, ``wb.form``,
``wb.summary``, ``wb.board``, ``wb.decisions``, ``wb.export`` always name the parts shown).

In dashboard mode (``WORKBOOK_MODE=dashboard``) the store is opened read-only and nothing
case-level (navigator, form, notes, loader) is built: only aggregate views, with small numbers
suppressed.

In a team (the inspection has members), the person is ``Settings.inspector`` and
``store.access(name, person)`` decides what the page offers: someone who is not a member, or
a viewer, gets the page read-only with the reason in the top bar's message; the lead inspector
and the quality lead get the *Team* tab (:class:`~workbook.ui.inspect.console.LeadConsole`),
the quality lead and the lead the *Quality assurance* tab
(:class:`~workbook.ui.inspect.qa_panel.QaPanel`). Each open inspection has a
:class:`~workbook.ui.inspect.live.LiveFollower` (``wb.follower``) feeding colleagues' saves
to the board, the case list, the form and the console without a click; it is stopped when
another inspection opens and on :meth:`InspectionWorkbook.close`. Outside a running event
loop (a script, a test) it does not poll: call ``wb.follower.check()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import ipywidgets as widgets

from ..config import DEMO_INSPECTION, load_settings
from ..errors import StoreError, WorkbookError
from ..render import render, style_tag
from ..report import problems_html
from ..store.names import path_part

MESSAGE = "inspect/page/message.html.j2"
ACCESS = "inspect/console/access.html.j2"
CONSOLE_ROLES = ("lead_inspector", "quality_lead")  # who gets the Team tab
QA_ROLES = ("quality_lead", "lead_inspector")  # who gets the Quality assurance tab


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
    settings: object = None
    framework: object = None
    loader: object = None
    navigator: object = None
    form: object = None
    summary: object = None
    board: object = None
    decisions: object = None
    export: object = None
    picker: object = None
    console: object = None
    qa: object = None
    access: object = None
    follower: object = None
    message: widgets.HTML = field(default_factory=widgets.HTML)
    screen: object = None

    @property
    def page(self) -> widgets.Widget:
        """The whole page (the same widget as :attr:`screen`)."""
        return self.screen

    @property
    def dashboard(self) -> bool:
        return self.mode == "dashboard"

    def open(self, name: str) -> bool:
        """Open the inspection ``name`` of the same store in place: every part is built again
        for it and shown on the screen; the message says what is open. Problems are shown, not
        raised (the parts shown before stay). True when it opened."""
        try:
            framework = _open_inspection(self, name)
        except WorkbookError as exc:
            self.message.value = _page_problem(exc, f"The inspection '{name}' cannot be opened.")
            if self.picker is not None:
                self.picker.refresh(select=self.inspection if self.framework else "")
            if self.framework is None:
                self.screen.show(loader=self.loader)
            return False
        self.inspection, self.framework = name, framework
        self.stop_following()
        if self.dashboard:
            _build_summary(self)
        else:
            _build_workbook(self)
        if self.picker is not None and self.picker.value != name:
            self.picker.refresh(select=name)
        return True

    def _picked(self, change) -> None:
        if change["new"] and change["new"] != self.inspection:
            self.open(change["new"])

    def _created(self, name: str) -> None:
        """The loader created an inspection: list it in the picker and open it."""
        self.picker.refresh(select=name)
        if self.inspection != name:
            self.open(name)

    def stop_following(self) -> None:
        """Stop following the open inspection's changes (its follower is closed)."""
        if self.follower is not None:
            self.follower.close()
            self.follower = None

    def close(self) -> None:
        self.stop_following()
        if self.store is not None:
            self.store.close()


def _screen(wb: InspectionWorkbook):
    from ..ui.inspect.picker import InspectionPicker
    from ..ui.inspect.screen import WorkbookScreen

    if wb.store is not None:
        wb.picker = InspectionPicker(wb.store, value=wb.inspection, new=not wb.dashboard)
    wb.screen = WorkbookScreen(wb.picker, wb.message)
    return wb.screen


def open_workbook(
    inspection: str | None = None, inspector: str | None = None, db_url: str | None = None
) -> InspectionWorkbook:
    """Open the store and the inspection and build the page (see the module's notes).
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
        _screen(wb)
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
        _screen(wb)
        return wb
    wb = InspectionWorkbook(
        store=store, inspection=name, inspector=who, mode=settings.mode, settings=settings
    )
    _screen(wb)
    if not settings.dashboard:
        wb.loader = _loader(wb, settings)
        wb.loader.on_created(wb._created)
        wb.screen.show(loader=wb.loader)
    wb.open(name)
    wb.picker.observe(wb._picked, names="value")
    return wb


def _open_inspection(wb: InspectionWorkbook, name: str):
    """The inspection's framework; the demo inspection is loaded on first use (not in
    dashboard mode, which never writes)."""
    store = wb.store
    try:
        store.inspection(name)
    except StoreError:
        if name != DEMO_INSPECTION or wb.dashboard:
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


def _build_summary(wb: InspectionWorkbook) -> None:
    """Dashboard mode: aggregate views only. No component that writes (store or files) and
    nothing that names a person (decision authors, history) is built."""
    from ..ui.inspect.ratings_board import RatingsBoard

    settings = wb.settings
    wb.board = RatingsBoard(
        wb.store, wb.inspection, wb.framework, suppress_below=settings.suppression
    )
    wb.screen.show(board=wb.board)
    wb.message.value = render(
        MESSAGE, kind="summary", inspection=wb.inspection, suppression=settings.suppression
    )


def _build_workbook(wb: InspectionWorkbook) -> None:
    """Every part of the inspectors' page, wired: the navigator picks the form's case and the
    summary's, the form's saves move the board, the summary and the navigator, decisions move
    the board, and the export panel exports what the board shows."""
    from ..ui.inspect.case_navigator import CaseNavigator
    from ..ui.inspect.decisions_panel import DecisionsPanel
    from ..ui.inspect.export_panel import ExportPanel
    from ..ui.inspect.judgement_form import JudgementForm
    from ..ui.inspect.ratings_board import RatingsBoard
    from ..ui.inspect.summary import CaseSummary

    store, name, fw, who = wb.store, wb.inspection, wb.framework, wb.inspector
    settings = wb.settings
    wb.access = store.access(name, who)
    wb.board = RatingsBoard(store, name, fw)
    wb.navigator = CaseNavigator(store, name, fw, me=who)
    wb.form = JudgementForm(store, name, fw, inspector=who)
    wb.summary = CaseSummary(wb.board, fw)
    wb.decisions = DecisionsPanel(store, name, fw, inspector=who)
    wb.export = ExportPanel(
        fw,
        ratings=wb.board.ratings,
        folder=settings.exports_dir / path_part(name),
        stem=path_part(name),
        home=settings.home,
    )
    navigator, summary = wb.navigator, wb.summary
    widgets.dlink((navigator, "case_id"), (wb.form, "case_id"))
    navigator.observe(lambda c: summary.show_case(navigator.case_row(c["new"])), names="case_id")
    widgets.dlink((wb.board, "ratings"), (wb.export, "ratings"))
    wb.form.on_saved(wb.board.judgement_saved)
    wb.form.on_saved(navigator.judgement_saved)
    wb.form.on_saved(summary.judgement_saved)
    wb.decisions.on_saved(wb.board.decisions_changed)
    if navigator.shown:
        navigator.next_not_assessed()
        if not navigator.case_id:
            navigator.case_id = navigator.shown[0]
    _build_team_parts(wb, settings)
    wb.screen.show(
        navigator=navigator,
        form=wb.form,
        summary=summary,
        board=wb.board,
        decisions=wb.decisions,
        export=wb.export,
        loader=wb.loader,
        console=wb.console,
        qa=wb.qa,
    )
    wb.message.value = render(
        MESSAGE, kind="open", inspection=name, framework=fw.name, inspector=who
    ) + render(
        ACCESS, access=wb.access, role=wb.access.role.replace("_", " ") if wb.access.role else ""
    )
    _follow(wb)


def _build_team_parts(wb: InspectionWorkbook, settings) -> None:
    """The lead inspector's console and the quality lead's panel, for the roles that get them."""
    from ..ui.inspect.console import LeadConsole
    from ..ui.inspect.qa_panel import QaPanel

    role = wb.access.role if wb.access is not None else None
    wb.console = wb.qa = None
    if role in CONSOLE_ROLES:
        wb.console = LeadConsole(wb.store, wb.inspection, wb.framework, person=wb.inspector)
    if role in QA_ROLES:
        wb.qa = QaPanel(
            wb.store,
            wb.inspection,
            wb.framework,
            person=wb.inspector,
            size=settings.qa_size,
            per_inspector=settings.qa_per_inspector,
        )


def _follow(wb: InspectionWorkbook) -> None:
    """Follow the open inspection's changes: colleagues' saves reach every part live."""
    from ..ui.inspect.live import LiveFollower

    try:
        follower = LiveFollower.open(wb.store, wb.inspection)
    except WorkbookError as exc:  # the page works without it (Refresh still reads the store)
        wb.message.value += _page_problem(exc, "Colleagues' changes cannot be followed live.")
        return
    follower.on_change(wb.board.apply_changes)
    follower.on_change(wb.navigator.apply_changes)
    form, me = wb.form, wb.inspector
    follower.on_change(lambda entries: form.apply_changes(entries, me))
    for part in (wb.console, wb.qa):
        if part is not None:
            follower.on_change(part.apply_changes)
    wb.follower = follower
    follower.start()
