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
