"""WorkbookScreen as open_workbook builds it: one widget for the whole page, against a real
SQLite store; picking an inspection or creating one with the loader rebuilds every part in
place (the same screen, new parts, the old ones closed), and the message says what is open."""

from datetime import UTC, datetime

import pytest

from workbook.app.inspect import open_workbook
from workbook.ui.inspect.keyboard import ATTRIBUTE, ShortcutGuard
from workbook.ui.inspect.screen import WorkbookScreen

PARTS = ("navigator", "form", "summary", "board", "decisions", "export")


def second_inspection(store, demo_name, name="second-2026", n=6):
    """A second inspection in the same store: the demo's first ``n`` case-supervision cases."""
    cases = store.cases(demo_name)
    cases = cases[cases["sample"] == "case_supervision"].head(n).copy()
    cases["case_id"] = [f"S2-{i:03d}" for i in range(1, len(cases) + 1)]
    store.create_inspection(name, store.framework(demo_name), provider="Second CRC")
    store.import_cases(name, cases)
    return name, list(cases["case_id"])


def test_open_workbook_builds_one_screen_with_every_part(workbook_parts, demo_name):
    wb = workbook_parts
    screen = wb.screen
    assert isinstance(screen, WorkbookScreen) and wb.page is screen
    assert "wb-workbook" in screen._dom_classes
    assert isinstance(screen.guard, ShortcutGuard) and screen.guard in screen.children
    assert screen.guard.scope == ".wb-workbook" and ATTRIBUTE in screen.guard._esm
    assert screen.top in screen.children and wb.picker in screen.top.children
    assert screen.tab_titles == ["Cases", "Ratings", "Decisions", "Export", "New inspection"]
    assert screen.tabs.titles == tuple(screen.tab_titles) and screen.tab == "Cases"
    # the day's work side by side: case list, form, summary
    assert [c.children for c in screen.columns.children] == [
        (wb.navigator,),
        (wb.form,),
        (wb.summary,),
    ]
    assert [slot.children for slot in screen.tabs.children[1:]] == [
        (wb.board,),
        (wb.decisions,),
        (wb.export,),
        (wb.loader,),
    ]
    assert wb.picker.names == [i.name for i in wb.store.inspections()] == [demo_name]
    assert wb.picker.dropdown.value == demo_name
    assert f"inspection <b>{demo_name}</b>" in wb.message.value
    assert "inspector <b>inspector A</b>" in wb.message.value
    # the navigator's case is the form's and the summary's
    assert wb.form.case_id == wb.navigator.case_id == wb.summary.case_id != ""
    assert wb.summary.ldu == wb.navigator.case_row(wb.form.case_id)["ldu"]


def test_new_inspection_brings_the_loaders_tab_to_the_front(workbook_parts):
    wb = workbook_parts
    wb.picker.new_button.click()
    assert wb.screen.tab == "New inspection"
    assert wb.screen.tabs.children[wb.screen.tabs.selected_index].children == (wb.loader,)


def test_picking_an_inspection_rebuilds_every_part_in_place(workbook_parts, demo_name):
    wb = workbook_parts
    name, cases = second_inspection(wb.store, demo_name)
    wb.picker.refresh()
    assert wb.picker.names == sorted([demo_name, name])
    screen, loader = wb.screen, wb.loader
    old = {p: getattr(wb, p) for p in PARTS}

    wb.picker.dropdown.value = name  # as the drop-down does

    assert wb.inspection == name and wb.screen is screen and wb.loader is loader
    for part in PARTS:
        assert getattr(wb, part) is not old[part], part
        assert old[part].comm is None, f"the old {part} is closed"
    assert wb.navigator.shown == cases
    assert wb.form.inspection == name and wb.form.case_id == cases[0]
    assert wb.board.inspection == name and wb.board.ratings.overall.rating is None
    assert wb.summary.case_id == cases[0] and wb.summary.board is wb.board
    assert str(wb.export.folder) == str(wb.settings.exports_dir / name)
    assert str(wb.settings.exports_dir).startswith(str(wb.settings.home.parent))
    assert [c.children for c in screen.columns.children] == [
        (wb.navigator,),
        (wb.form,),
        (wb.summary,),
    ]
    assert [slot.children for slot in screen.tabs.children[1:]] == [
        (wb.board,),
        (wb.decisions,),
        (wb.export,),
        (loader,),
    ]
    assert f"inspection <b>{name}</b>" in wb.message.value and screen.tab == "Cases"

    # the new parts are wired: an answer is saved for the new inspection and moves its board
    q = next(iter(wb.form.answer_toggles))
    wb.form.answer_toggles[q].value = "yes"
    assert wb.store.case_judgements(name, cases[0])[q].answer == "yes"
    assert wb.board.ratings.key_questions[q].yes == 1
    assert wb.summary.change_lines and wb.store.judgements(demo_name) is not None

    wb.picker.dropdown.value = demo_name  # and back
    assert wb.inspection == demo_name and len(wb.navigator.shown) > len(cases)


def test_an_inspection_that_cannot_be_opened_keeps_the_parts_shown(workbook_parts, demo_name):
    wb = workbook_parts
    form = wb.form
    assert wb.open("no-such-inspection") is False
    assert "cannot be opened" in wb.message.value and "no-such-inspection" in wb.message.value
    assert wb.inspection == demo_name and wb.form is form and wb.picker.value == demo_name


def test_the_loader_creating_an_inspection_opens_it_in_place(workbook_parts, tmp_path):
    wb = workbook_parts
    cases = wb.store.cases(wb.inspection).head(5)
    path = tmp_path / "new-cases.csv"
    cases.drop(columns=["inspection"], errors="ignore").to_csv(path, index=False)
    data = path.read_bytes()
    wb.picker.new_button.click()
    wb.loader.upload.value = (
        {
            "name": path.name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime(2026, 11, 1, tzinfo=UTC),
        },
    )
    wb.loader.check_button.click()
    assert wb.loader.cases is not None, wb.loader.feedback.value
    wb.loader.name_text.value = "fresh-2026"
    screen = wb.screen

    wb.loader.create_button.click()

    assert wb.inspection == "fresh-2026" and wb.screen is screen
    assert "fresh-2026" in wb.picker.names and wb.picker.dropdown.value == "fresh-2026"
    assert wb.navigator.shown == list(cases["case_id"].astype(str))
    assert wb.form.inspection == "fresh-2026" and wb.board.inspection == "fresh-2026"
    assert "inspection <b>fresh-2026</b>" in wb.message.value and screen.tab == "Cases"


@pytest.mark.parametrize("mode", ["dashboard"])
def test_dashboard_mode_shows_the_board_alone_and_no_new_inspection(
    demo_url, demo_name, monkeypatch, mode
):
    monkeypatch.setenv("WORKBOOK_MODE", mode)
    wb = open_workbook(db_url=demo_url)
    try:
        assert wb.screen.tab_titles == ["Ratings"] and wb.screen.tabs.children[0].children == (
            wb.board,
        )
        assert wb.picker.new_button.layout.display == "none"
        assert "Read-only summary" in wb.message.value
    finally:
        wb.close()


# -- the page in a team: the person's role decides the tabs ------------------------------------


@pytest.mark.parametrize(
    ("person", "tabs", "words"),
    [
        ("lead", ["Team", "Quality assurance"], "Your role in the team: lead inspector."),
        ("quinn", ["Team", "Quality assurance"], "Your role in the team: quality lead."),
        ("alice", [], "Your role in the team: inspector."),
        ("carol", [], "Your role in the team: local assessor."),
        ("vic", [], "Read-only:"),
        ("zed", [], "Read-only:"),
    ],
)
def test_the_team_tabs_follow_the_persons_role(
    demo_store, demo_name, demo_url, tmp_path, monkeypatch, person, tabs, words
):
    from tests.ui.inspect.test_console import NAME, team_inspection
    from workbook.ui.inspect.console import LeadConsole
    from workbook.ui.inspect.qa_panel import QaPanel

    team_inspection(demo_store, demo_name, cs=6, uw=0)
    demo_store.add_member(NAME, "vic", "viewer", by="lead")
    monkeypatch.setenv("WORKBOOK_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("WORKBOOK_INSPECTOR", person)  # who I am: the settings
    monkeypatch.setenv("WORKBOOK_QA_SIZE", "5")
    wb = open_workbook(inspection=NAME, db_url=demo_url)
    try:
        assert wb.inspector == person and wb.access.person == person
        expected = ["Cases", "Ratings", *tabs, "Decisions", "Export", "New inspection"]
        assert wb.screen.tab_titles == expected
        assert words in wb.message.value
        if "Team" in tabs:
            assert isinstance(wb.console, LeadConsole) and isinstance(wb.qa, QaPanel)
            assert wb.console.lead == (person == "lead")
            assert wb.qa.size.value == 5 and wb.qa.per_inspector.value == 2
            wb.screen.select("Team")
            slot = wb.screen.tabs.children[wb.screen.tabs.selected_index]
            assert slot.children == (wb.console,)
        else:
            assert wb.console is None and wb.qa is None
        if person in ("vic", "zed"):
            assert wb.access.why and wb.access.why in wb.message.value.replace("&#39;", "'")
            assert wb.form.read_only
    finally:
        wb.close()


def test_opening_another_inspection_replaces_the_team_parts_and_the_follower(
    demo_store, demo_name, workbook_parts
):
    from tests.ui.inspect.test_console import NAME, team_inspection

    team_inspection(demo_store, demo_name, cs=6, uw=0)
    wb = workbook_parts  # inspector A on the demo: no team, no team tabs
    assert "Team" not in wb.screen.tab_titles and wb.follower is not None
    first = wb.follower
    wb.inspector = "lead"
    wb.picker.refresh()
    wb.picker.dropdown.value = NAME
    assert first.closed and wb.follower is not first and not wb.follower.closed
    assert wb.screen.tab_titles[:4] == ["Cases", "Ratings", "Team", "Quality assurance"]
    console = wb.console
    wb.picker.dropdown.value = demo_name
    assert console.comm is None and wb.console is None  # closed with the tab
    assert "Team" not in wb.screen.tab_titles
    follower = wb.follower
    wb.close()
    assert follower.closed and wb.follower is None
