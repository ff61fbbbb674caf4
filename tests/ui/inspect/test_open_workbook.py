"""The inspectors' page as workbook.app.inspect.open_workbook builds it: the components wired
together and driven as a user would, without a browser, against a real SQLite store (and a real
PostgreSQL one); dashboard mode and problems shown on the page."""

import pytest

from tests.ui.inspect.expected import a_case_answered, board_equals_ratings
from workbook.app.inspect import open_workbook
from workbook.errors import StoreError
from workbook.store import open_store


def test_setting_a_toggle_saves_it_and_moves_the_board(workbook_parts, demo_name):
    wb = workbook_parts
    store = wb.store
    case = a_case_answered(store, demo_name, "2.3.3", "yes")
    wb.navigator.case_id = case
    assert wb.form.case_id == case
    assert wb.board.band_of("2.3") == "Requires improvement"  # 42 of 83: 51%
    version = store.case_judgements(demo_name, case)["2.3.3"].version

    wb.form.answer_toggles["2.3.3"].value = "no"  # as a click does

    saved = store.case_judgements(demo_name, case)["2.3.3"]
    assert (saved.answer, saved.inspector, saved.version) == ("no", "inspector A", version + 1)
    assert wb.form.save_state == "saved" and "2.3.3: No saved" in wb.form.state_label.value
    assert "No: saved" in wb.form.question_states["2.3.3"].value
    assert wb.board.band_of("2.3") == "Inadequate"  # 41 of 83: 49%
    assert (
        'data-standard="2.3" data-group="All cases" data-band="Inadequate"' in wb.board.table.value
    )
    assert "2.3 moved from Requires improvement to Inadequate" in wb.board.last_change
    points = {(v["kq"], v["group"]): v for v in wb.board.chart_spec["datasets"]["kq_figures"]}
    assert points[("2.3.3", "All cases")]["label"] == "49% Inadequate"
    board_equals_ratings(wb.board, store, demo_name)
    assert wb.export.ratings is wb.board.ratings

    wb.form.answer_toggles["2.3.3"].value = "yes"
    assert wb.board.band_of("2.3") == "Requires improvement"
    board_equals_ratings(wb.board, store, demo_name)


def test_a_conflict_from_a_second_connection_appears_in_the_form(
    workbook_parts, demo_url, demo_name
):
    wb = workbook_parts
    case = a_case_answered(wb.store, demo_name, "2.1.1", "yes")
    wb.navigator.case_id = case
    before = wb.board.ratings.key_questions["2.1.1"]

    other = open_store(demo_url)  # a colleague's session
    other.save_judgement(
        demo_name, case, "2.1.1", "no", "inspector C", expect_version=wb.form._versions["2.1.1"]
    )
    other.close()

    wb.form.answer_toggles["2.1.1"].value = "no"  # the same answer, but from a stale version
    assert wb.form.save_state == "conflict"
    assert "inspector C" in wb.form.message and "to No" in wb.form.message
    assert "Not saved" in wb.form.state_label.value and "inspector C" in wb.form.state_label.value
    assert wb.form.answer_toggles["2.1.1"].value == "no"  # their answer is shown
    assert "inspector C changed it to No" in wb.form.question_states["2.1.1"].value
    # the board took in their change
    after = wb.board.ratings.key_questions["2.1.1"]
    assert (after.yes, after.no) == (before.yes - 1, before.no + 1)
    board_equals_ratings(wb.board, wb.store, demo_name)

    wb.form.answer_toggles["2.1.1"].value = "yes"  # choosing again replaces theirs
    assert wb.form.save_state == "saved"
    assert wb.store.case_judgements(demo_name, case)["2.1.1"].answer == "yes"
    board_equals_ratings(wb.board, wb.store, demo_name)


def test_dashboard_mode_is_read_only_and_builds_no_case_level_parts(
    demo_url, demo_name, monkeypatch
):
    monkeypatch.setenv("WORKBOOK_MODE", "dashboard")
    wb = open_workbook(db_url=demo_url)
    try:
        assert wb.navigator is None and wb.form is None and wb.loader is None
        assert wb.store.read_only and wb.board is not None
        assert wb.board.suppress_below == 5
        # nothing at whole-sample level is under 5 in the demo: every rating is shown
        assert "Overall: Requires improvement" in wb.board.overall.value
        for std in wb.framework.standards:
            if std.rated_from == "cases":
                assert wb.board.band_of(std.id) is not None, std.id
        # nothing that writes (store or files) or names a person is built
        assert wb.decisions is None and wb.export is None
        assert wb.page is wb.screen and wb.screen.tab_titles == ["Ratings"]
        assert wb.summary is None and wb.picker.new_button.layout.display == "none"
        with pytest.raises(StoreError, match="read-only"):
            wb.store.save_judgement(demo_name, "D19-CS-001", "2.1.1", "no", "intruder")
    finally:
        wb.close()


def test_an_unknown_inspection_is_shown_not_raised(demo_url):
    wb = open_workbook("no-such-inspection", db_url=demo_url)
    try:
        assert "cannot be opened" in wb.message.value and "no-such-inspection" in wb.message.value
        assert wb.form is None and wb.loader is not None
    finally:
        wb.close()


def test_the_form_and_board_on_postgresql(pg_url, demo_name):
    """The same wiring against a real PostgreSQL store: a click saves, the board moves, and a
    colleague's earlier save shows as a conflict."""
    from workbook.demo import ensure_demo

    setup = open_store(pg_url)
    ensure_demo(setup)
    case = a_case_answered(setup, demo_name, "2.3.3", "yes")
    setup.close()
    wb = open_workbook(inspector="inspector A", db_url=pg_url)
    try:
        wb.navigator.case_id = case
        wb.form.answer_toggles["2.3.3"].value = "no"
        assert wb.form.save_state == "saved" and wb.board.band_of("2.3") == "Inadequate"
        theirs = "no" if wb.form.answer_of("2.3.1") == "yes" else "yes"
        other = open_store(pg_url)
        other.save_judgement(demo_name, case, "2.3.1", theirs, "inspector C")
        other.close()
        wb.form.answer_toggles["2.3.1"].value = theirs
        assert wb.form.save_state == "conflict" and "inspector C" in wb.form.message
        board_equals_ratings(wb.board, wb.store, demo_name)
    finally:
        wb.close()


def test_a_missing_store_or_bad_setting_is_shown_not_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_MODE", "dashboard")
    wb = open_workbook(db_url=f"sqlite:///{tmp_path / 'nowhere' / 'missing.db'}")
    assert "The store cannot be opened." in wb.message.value
    assert wb.board is None and wb.form is None
    wb.close()
    monkeypatch.setenv("WORKBOOK_SUPPRESSION", "few")
    wb = open_workbook()
    assert (
        "settings are not valid" in wb.message.value and "WORKBOOK_SUPPRESSION" in wb.message.value
    )


# -- the page in a team, live ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def team_url(request, demo_name):
    """A store URL holding the demo and the team inspection (tests.ui.inspect.test_console)."""
    from tests.ui.inspect.test_console import team_inspection

    if request.param == "sqlite":
        url = request.getfixturevalue("demo_url")
    else:
        from workbook.demo import ensure_demo

        url = request.getfixturevalue("pg_url")
        setup = open_store(url)
        ensure_demo(setup)
        setup.close()
    setup = open_store(url)
    try:
        mine = team_inspection(setup, demo_name, cs=12, uw=0)
    finally:
        setup.close()
    return url, mine


def test_a_colleagues_saves_reach_every_part_through_the_follower(team_url, tmp_path, monkeypatch):
    """The lead's page; another Store on the same URL saves (alice answers, signs off, quinn
    queries, the lead locks); one check() of the page's follower brings it all in."""
    from tests.ui.inspect.test_console import NAME, answer_all

    url, mine = team_url
    monkeypatch.setenv("WORKBOOK_EXPORTS", str(tmp_path / "exports"))
    wb = open_workbook(inspection=NAME, inspector="lead", db_url=url)
    try:
        case = mine["alice"][0]
        wb.navigator.case_id = case
        assert wb.form.case_id == case and wb.navigator.state_of(case) == "not started"
        assert wb.follower is not None and wb.follower.check() == []
        reads = wb.console.updates
        other = open_store(url)
        try:
            answer_all(other, case, "alice")
            other.open_query(NAME, case, "quinn", "Evidence for 2.1.1?", "2.1.1")
            other.resolve_query(NAME, other.queries(NAME, case_id=case)[0].id, "quinn")
            other.lock(NAME, case, by="lead")
        finally:
            other.close()
        entries = wb.follower.check()
        assert {e.entity for e in entries} >= {"judgement", "status", "query"}
        board_equals_ratings(wb.board, wb.store, NAME)  # the board took the answers in
        assert wb.board.locked_cases == (case,)
        assert "As of locked cases only" in wb.board.locked.value  # beside the live figure
        assert wb.navigator.state_of(case) == "locked"
        assert wb.form.changes.lines and any("alice" in line for line in wb.form.changes.lines)
        assert wb.console.updates == reads + 1
        row = next(r for r in wb.console.rows("progress-inspector") if r[0] == "alice")
        assert row[6] == "1"  # locked
        assert wb.qa.rows("qa-queries") == []  # opened and resolved
    finally:
        wb.close()
