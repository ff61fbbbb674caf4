"""Feedback: the one area a component shows its errors (the error box) and confirmations (a
status line) in."""

import ipywidgets as widgets

from workbook.errors import Problem, WorkbookError
from workbook.ui.feedback import Feedback


def test_an_error_is_the_one_error_box_and_a_confirmation_a_status_line():
    area = Feedback()
    area.show_problems(WorkbookError(Problem("no_folder", "the folder is empty.")))
    assert area.kind == "problems" and 'role="alert"' in area.value
    assert "the folder is empty." in area.text
    area.show_status("Saved: 2.3 <Good>.")
    assert area.kind == "status" and 'role="status"' in area.value
    assert "&lt;Good&gt;" in area.value and area.text == "Saved: 2.3 <Good>."
    area.clear()
    assert (area.kind, area.value) == ("", "")


def test_dispatch_shows_a_callbacks_error_and_still_calls_the_others():
    area, heard = Feedback(), []
    callbacks = widgets.CallbackDispatcher()

    def fail(value):
        raise WorkbookError("the board could not take the change in.")

    callbacks.register_callback(fail)
    callbacks.register_callback(heard.append)
    area.dispatch(callbacks, 7)
    assert heard == [7] and "could not take the change in" in area.text
