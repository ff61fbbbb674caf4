"""RatingsBoard: its figures equal workbook.ratings on the store's data, after loading, after
saves (its own and colleagues'), and after a refresh; against a real SQLite store."""

import pytest

from tests.ui.inspect.expected import a_case_answered, board_equals_ratings
from workbook.ratings import rate
from workbook.store import open_store
from workbook.ui.inspect.judgement_form import JudgementForm
from workbook.ui.inspect.ratings_board import RatingsBoard


def test_board_figures_equal_ratings_on_the_same_data(demo_store, demo_name):
    board = RatingsBoard(demo_store, demo_name)
    board_equals_ratings(board, demo_store, demo_name)
    assert board.band_of("2.1") == "Good"  # professional discretion in the demo
    assert 'data-band="Good"' in board.table.value and "*" in board.table.value
    assert "Overall: Requires improvement" in board.overall.value
    assert "would drop it to Inadequate" in board.distances.value
    assert board.chart_spec["datasets"]["kq_figures"]


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


def test_the_board_rates_only_with_the_framework_version_the_inspection_is_pinned_to(
    demo_url, demo_name
):
    """Given a framework by the page, the board still reads through the store's one reader,
    which refuses another version than the inspection's pin: the problem is shown, no ratings."""
    from sqlalchemy import create_engine, text

    from workbook.files import load_framework

    engine = create_engine(demo_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE inspections SET framework_version = '1999.9'"))
    engine.dispose()
    store = open_store(demo_url)
    try:
        board = RatingsBoard(store, demo_name, load_framework("hmip-2018-crc"))
        assert board.ratings is None
        assert "1999.9" in board.feedback.value and board.feedback.kind == "problems"
    finally:
        store.close()


# -- colleagues' saves, live (apply_changes) ------------------------------------------------------


def _flip(store, name, case, question, who):
    current = store.case_judgements(name, case)[question]
    answer = "no" if current.answer == "yes" else "yes"
    store.save_judgement(name, case, question, answer, who, expect_version=current.version)
    return answer


def test_colleagues_saves_are_taken_in_incrementally(demo_store, demo_url, demo_name):
    from workbook.store.changes import ChangeFeed

    board = RatingsBoard(demo_store, demo_name)
    feed = ChangeFeed(demo_store, demo_name)
    colleague = open_store(demo_url)
    try:
        _flip(colleague, demo_name, "D19-CS-001", "2.1.1", "inspector B")
        _flip(colleague, demo_name, "D19-CS-002", "2.1.3", "inspector B")
        _flip(colleague, demo_name, "D19-CS-001", "2.1.1", "inspector B")  # and back
        _flip(colleague, demo_name, "D19-CS-004", "2.4.2", "inspector C")
        entries = feed.read()
        assert [e.entity for e in entries] == ["judgement"] * 4
        board.apply_changes(entries)
        assert board.reloads == 1  # only the first load: every answer taken in incrementally
        assert board.updates == 4
        board_equals_ratings(board, demo_store, demo_name)
        board.apply_changes(entries[-1:])  # already taken in: nothing moves
        assert board.updates == 4
        board.apply_changes(entries)  # all again, in order: it ends where the store is
        board_equals_ratings(board, demo_store, demo_name)
    finally:
        colleague.close()
        feed.close()


def test_the_kernels_own_save_passed_by_the_form_and_by_the_follower_counts_once(
    demo_store, demo_name
):
    from workbook.store.changes import ChangeFeed

    board = RatingsBoard(demo_store, demo_name)
    feed = ChangeFeed(demo_store, demo_name)
    try:
        form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id="D19-CS-005")
        form.on_saved(board.judgement_saved)
        now = form.answer_of("2.1.1")
        form.answer_toggles["2.1.1"].value = "no" if now == "yes" else "yes"
        assert form.save_state == "saved" and board.updates == 1
        board.apply_changes(feed.read())  # the same save, from the follower
        assert board.updates == 1
        board_equals_ratings(board, demo_store, demo_name)
    finally:
        feed.close()


def test_a_decision_re_rates_the_standards_and_a_new_case_reloads(demo_store, demo_url, demo_name):
    import pandas as pd

    from workbook.store.changes import ChangeFeed

    board = RatingsBoard(demo_store, demo_name)
    feed = ChangeFeed(demo_store, demo_name)
    colleague = open_store(demo_url)
    try:
        colleague.save_decision(demo_name, "2.4", None, "discretion withdrawn", "lead")
        board.apply_changes(feed.read())
        assert board.reloads == 1
        board_equals_ratings(board, demo_store, demo_name)
        assert board.band_of("2.4") != "Requires improvement"  # 26 of 53: no discretion now
        new_case = pd.DataFrame(
            {"case_id": ["D19-CS-999"], "sample": ["case_supervision"], "ldu": ["Swindon"]}
        )
        colleague.import_cases(demo_name, new_case, inspector="lead")
        colleague.save_judgement(demo_name, "D19-CS-999", "2.1.1", "yes", "inspector B")
        entries = feed.read()
        assert {e.entity for e in entries} == {"case", "judgement"}
        board.apply_changes(entries)
        assert board.reloads == 2  # once for the batch
        board_equals_ratings(board, demo_store, demo_name)
    finally:
        colleague.close()
        feed.close()


def test_the_teams_other_changes_leave_the_ratings_alone(demo_store, demo_name):
    from workbook.store.changes import ChangeFeed

    board = RatingsBoard(demo_store, demo_name)
    feed = ChangeFeed(demo_store, demo_name)
    try:
        demo_store.add_member(demo_name, "lead A", "lead inspector", "lead A")
        demo_store.allocate(demo_name, "D19-CS-001", "lead A", "lead A")
        entries = feed.read()
        assert {e.entity for e in entries} == {"member", "allocation"}
        table = board.table.value
        board.apply_changes(entries)
        assert (board.reloads, board.updates, board.table.value) == (1, 0, table)
    finally:
        feed.close()


def test_ratings_as_of_locked_cases_only_beside_the_live_ones(demo_store, demo_url, demo_name):
    from workbook.store.changes import ChangeFeed

    board = RatingsBoard(demo_store, demo_name)
    assert board.locked_ratings is None and board.locked.value == ""  # nothing locked yet
    feed = ChangeFeed(demo_store, demo_name)
    lead = open_store(demo_url)  # the lead inspector's session
    try:
        lead.add_member(demo_name, "lead A", "lead inspector", "lead A")
        locked = ["D19-CS-001", "D19-CS-002", "D19-CS-003"]
        for case in locked:
            lead.sign_off(demo_name, case, "lead A")
            lead.lock(demo_name, case, "lead A")
        board.apply_changes(feed.read())
        assert board.locked_cases == tuple(locked) and board.reloads == 1

        def expected(cases):
            j = demo_store.judgements(demo_name)
            j = j[j["answer"].notna() & j["case_id"].isin(cases)]
            return rate(demo_store.framework(demo_name), j, demo_store.decisions(demo_name))

        want = expected(locked)
        assert board.locked_ratings.overall == want.overall
        for sid, s in want.standards.items():
            assert board.locked_band_of(sid) == s.rating
        assert board.locked_ratings.key_questions["2.1.1"].yes == want.key_questions["2.1.1"].yes
        html = board.locked.value
        assert "<h4>As of locked cases only</h4>" in html and "3 of 141 cases locked." in html
        assert "<caption>Standards: the live rating and the rating as of locked cases only" in html
        assert '<th scope="col">Locked cases only</th>' in html
        assert html.count('<tr><th scope="row">') == len(demo_store.framework(demo_name).standards)

        lead.reopen(demo_name, "D19-CS-002", "lead A", "a page of the plan was missing")
        board.apply_changes(feed.read())
        assert board.locked_cases == ("D19-CS-001", "D19-CS-003")
        assert board.locked_ratings.overall == expected(["D19-CS-001", "D19-CS-003"]).overall
        assert "2 of 141 cases locked." in board.locked.value
        # a live save elsewhere changes the live column, not the locked figure
        before = board.locked_ratings.key_questions["2.1.1"]
        board.judgement_saved("D19-CS-010", "2.1.1", None, "no")
        assert board.locked_ratings.key_questions["2.1.1"] == before
    finally:
        lead.close()
        feed.close()


def test_a_colleagues_save_reaches_the_board_through_the_follower(demo_store, demo_url, demo_name):
    from workbook.ui.inspect.live import LiveFollower

    board = RatingsBoard(demo_store, demo_name)
    follower = LiveFollower.open(demo_store, demo_name)
    follower.on_change(board.apply_changes)
    colleague = open_store(demo_url)
    try:
        _flip(colleague, demo_name, "D19-CS-007", "2.2.1", "inspector B")
        assert len(follower.check()) == 1
        assert board.updates == 1 and board.reloads == 1
        board_equals_ratings(board, demo_store, demo_name)
        assert "D19-CS-007, 2.2.1" in board.last_change
    finally:
        colleague.close()
        follower.close()
