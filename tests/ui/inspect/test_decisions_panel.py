"""DecisionsPanel: a rating and a reason are both needed; a save moves the board; a colleague's
earlier save is a conflict. Against a real SQLite store."""

from tests.ui.inspect.expected import board_equals_ratings
from workbook.store import open_store
from workbook.ui.inspect.decisions_panel import DecisionsPanel


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
