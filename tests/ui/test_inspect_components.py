"""The inspectors' workbook components, driven as a user would, without a browser, against a
real SQLite store holding the demo inspection."""

import pandas as pd
import pytest

from workbook import report
from workbook.app.inspect import open_workbook
from workbook.errors import StoreError
from workbook.ratings import rate
from workbook.store import open_store
from workbook.ui.case_navigator import CaseNavigator
from workbook.ui.decisions_panel import DecisionsPanel
from workbook.ui.export_panel import ExportPanel
from workbook.ui.judgement_form import JudgementForm
from workbook.ui.ratings_board import RatingsBoard


def fresh_ratings(store, name):
    fw = store.framework(name)
    return rate(
        fw, store.judgements(name), store.decisions(name), cases=store.cases(name), by=("ldu",)
    )


def board_equals_ratings(board, store, name):
    """The board's table and figures equal workbook.ratings on the store's data."""
    fw = store.framework(name)
    expected = fresh_ratings(store, name)
    pd.testing.assert_frame_equal(
        board.table_frame, report.standards_by_group_table(fw, expected, "ldu")
    )
    pd.testing.assert_frame_equal(board.figures, report.kq_figures(fw, expected, "ldu"))
    assert board.ratings.overall == expected.overall


@pytest.fixture
def workbook_parts(demo_url, demo_name):
    wb = open_workbook(inspector="inspector A", db_url=demo_url)
    yield wb
    wb.close()


def a_case_answered(store, name, question, answer):
    j = store.judgements(name)
    return str(j[(j["question"] == question) & (j["answer"] == answer)]["case_id"].iloc[0])


def test_board_figures_equal_ratings_on_the_same_data(demo_store, demo_name):
    board = RatingsBoard(demo_store, demo_name)
    board_equals_ratings(board, demo_store, demo_name)
    assert board.band_of("2.1") == "Good"  # professional discretion in the demo
    assert 'data-band="Good"' in board.table.value and "*" in board.table.value
    assert "Overall: Requires improvement" in board.overall.value
    assert "would drop it to Inadequate" in board.distances.value
    assert board.chart_spec["datasets"]["kq_figures"]


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
    assert "Saved" in wb.form.question_states["2.3.3"].value
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


@pytest.mark.parametrize("through", ["form", "judgement_saved"])
def test_the_board_does_not_drift_when_a_colleague_saved_after_it_loaded(
    demo_store, demo_url, demo_name, through
):
    """The board's old answer is its own (from when it loaded), not the store's previous one:
    a colleague flips a judgement after the board loaded, the inspector flips it back."""
    board = RatingsBoard(demo_store, demo_name)
    case = a_case_answered(demo_store, demo_name, "2.1.1", "yes")
    before = board.ratings.key_questions["2.1.1"]
    other = open_store(demo_url)  # a colleague's session
    try:
        current = other.case_judgements(demo_name, case)["2.1.1"]
        other.save_judgement(
            demo_name, case, "2.1.1", "no", "inspector C", expect_version=current.version
        )
    finally:
        other.close()
    if through == "form":
        form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id=case)
        form.on_saved(board.judgement_saved)
        assert form.answer_of("2.1.1") == "no"  # opened after the colleague's save
        form.answer_toggles["2.1.1"].value = "yes"
        assert form.save_state == "saved"
    else:
        demo_store.save_judgement(demo_name, case, "2.1.1", "yes", "inspector A")
        board.judgement_saved(case, "2.1.1", "no", "yes")  # the store's previous answer
    after = board.ratings.key_questions["2.1.1"]
    assert (after.yes, after.no) == (before.yes, before.no)
    expected = rate(
        demo_store.framework(demo_name),
        demo_store.judgements(demo_name),
        cases=demo_store.cases(demo_name),
    ).key_questions["2.1.1"]
    assert (after.yes, after.no) == (expected.yes, expected.no)
    board_equals_ratings(board, demo_store, demo_name)
    # and the board's own answer moved on: flipping again counts from "yes"
    demo_store.save_judgement(demo_name, case, "2.1.1", "no", "inspector A")
    board.judgement_saved(case, "2.1.1", "yes", "no")
    board_equals_ratings(board, demo_store, demo_name)


def test_form_lists_what_is_missing_and_completes(demo_store, demo_name):
    store = demo_store
    store.import_cases(
        demo_name,
        pd.DataFrame([{"case_id": "NEW-1", "sample": "case_supervision", "ldu": "Warwickshire"}]),
    )
    form = JudgementForm(store, demo_name, inspector="inspector B", case_id="NEW-1")
    assert not form.complete and len(form.missing) == 12
    assert "Still to answer: 2.1.1" in form.completeness.value
    assert [o[1] for o in form.answer_toggles["2.1.1"].options] == ["yes", "no"]  # no N/A
    assert [o[1] for o in form.answer_toggles["2.2.3"].options] == ["yes", "no", "not_applicable"]
    assert "Prompts for 2.1.1" in form.prompts["2.1.1"].get_title(0)
    form.notes["2.1.1"].value = "the assessment quotes the victim's statement"  # before an answer
    assert "saved with its answer" in form.message
    for q, toggles in form.answer_toggles.items():
        toggles.value = "not_applicable" if q in ("2.2.3", "2.3.3", "2.4.3") else "yes"
    assert form.complete and form.missing == []
    assert "Complete" in form.completeness.value
    stored = store.case_judgements(demo_name, "NEW-1")
    assert stored["2.1.1"].note == "the assessment quotes the victim's statement"
    assert stored["2.2.3"].answer == "not_applicable"


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


def test_navigator_filters_steps_and_finds_the_next_case_not_assessed(demo_store, demo_name):
    store = demo_store
    store.import_cases(
        demo_name,
        pd.DataFrame(
            [
                {
                    "case_id": "NEW-2",
                    "sample": "unpaid_work",
                    "ldu": "Worcestershire",
                    "inspector": "inspector 2",
                }
            ]
        ),
    )
    nav = CaseNavigator(store, demo_name)
    assert len(nav.shown) == 142
    nav.sample_filter.value = "unpaid_work"
    assert len(nav.shown) == 26
    nav.state_filter.value = "not started"
    assert nav.shown == ["NEW-2"]
    nav.state_filter.value = "all"
    nav.ldu_filter.value = "Worcestershire"
    assert all(c.startswith(("D19-UW", "NEW")) for c in nav.shown)
    nav.case_id = nav.shown[0]
    nav.next_button.click()
    assert nav.case_id == nav.shown[1]
    nav.previous_button.click()
    assert nav.case_id == nav.shown[0]
    nav.next_unassessed_button.click()
    assert nav.case_id == "NEW-2" and nav.state_of("NEW-2") == "not started"
    assert "of 26 cases assessed" in nav.progress.children[0].value
    nav.judgement_saved("NEW-2", "4.1.1", None, "yes")
    assert nav.state_of("NEW-2") == "in progress"


def test_decisions_need_a_rating_and_a_reason_and_move_the_board(workbook_parts, demo_name):
    wb = workbook_parts
    panel = wb.decisions
    panel.standard_picker.value = "2.3"
    panel.rating_picker.value = "Good"
    panel.save_button.click()
    assert "write the reason" in panel.feedback.value
    assert "2.3" not in wb.store.stored_decisions(demo_name)

    panel.reason_text.value = "Wider evidence from the interviews with practitioners."
    panel.save_button.click()
    assert panel.save_state == "saved"
    assert wb.store.stored_decisions(demo_name)["2.3"].rating == "Good"
    assert wb.board.band_of("2.3") == "Good"
    assert "Wider evidence" in panel.history.value
    board_equals_ratings(wb.board, wb.store, demo_name)


def test_export_writes_tables_and_charts(demo_store, demo_name, tmp_path):
    board = RatingsBoard(demo_store, demo_name)
    panel = ExportPanel(
        demo_store.framework(demo_name),
        ratings=board.ratings,
        folder=tmp_path / "exports",
        stem=demo_name,
    )
    panel.export_button.click()
    names = sorted(p.rsplit("/", 1)[-1] for p in panel.written)
    assert f"{demo_name}.xlsx" in names and f"{demo_name}.md" in names
    assert f"{demo_name}-kq-chart.png" in names and f"{demo_name}-kq-heatmap.svg" in names
    png = (tmp_path / "exports" / f"{demo_name}-kq-chart.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert "Good" in (tmp_path / "exports" / f"{demo_name}-kq-heatmap.svg").read_text()
    panel.folder = ""
    panel.export_button.click()
    assert "the folder is empty" in panel.feedback.value


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
        assert [type(w).__name__ for w in wb.page.children] == ["HTML", "Tab"]
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


def test_a_decision_saved_meanwhile_by_a_colleague_is_a_conflict(demo_store, demo_url, demo_name):
    panel = DecisionsPanel(demo_store, demo_name, inspector="inspector A")
    panel.standard_picker.value = "4.2"
    other = open_store(demo_url)
    other.save_decision(
        demo_name, "4.2", "Outstanding", "Seen in the resettlement audit.", "inspector C"
    )
    other.close()
    panel.rating_picker.value = "Requires improvement"
    panel.reason_text.value = "Too few plans."
    panel.save_button.click()
    assert panel.save_state == "conflict"
    assert "inspector C" in panel.feedback.value or "inspector C" in panel.current.value
    assert demo_store.stored_decisions(demo_name)["4.2"].rating == "Outstanding"


def test_refresh_shows_a_colleagues_saves(demo_store, demo_url, demo_name):
    board = RatingsBoard(demo_store, demo_name)
    assert board.band_of("2.4") == "Requires improvement"  # discretion over 26 of 53
    colleague = open_store(demo_url)
    try:
        current = colleague.case_judgements(demo_name, "D19-CS-001")["2.1.3"]
        flipped = "no" if current.answer == "yes" else "yes"
        colleague.save_judgement(
            demo_name, "D19-CS-001", "2.1.3", flipped, "colleague", expect_version=current.version
        )
    finally:
        colleague.close()
    before = board.ratings.key_questions["2.1.3"].yes
    board.refresh_button.click()
    assert board.ratings.key_questions["2.1.3"].yes == before + (1 if flipped == "yes" else -1)


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
