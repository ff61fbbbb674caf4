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


def test_problems_are_an_error_summary_under_there_is_a_problem_and_take_focus():
    """The GOV.UK pattern: a heading, what happened, every problem; each showing asks the page
    to move focus to the summary (a new serial, even for the same problems)."""
    area = Feedback()
    located = [
        Problem("not_text", "'x' is not a number.", file="cases.csv", row=3, column="age"),
        Problem("not_text", "'y' is not a date.", file="cases.csv", row=4, column="start"),
    ]
    area.show_problems(WorkbookError(located), "The sample was not loaded.")
    assert (
        area.kind == "problems" and 'role="alert"' in area.value and 'tabindex="-1"' in area.value
    )
    assert '<h2 class="wb-error-summary__heading">There is a problem</h2>' in area.value
    assert "The sample was not loaded." in area.text
    assert '<th scope="col">file</th>' in area.value and "cases.csv" in area.text  # the table
    first = area.focus_serial
    area.show_problems(WorkbookError(located), "The sample was not loaded.")
    assert area.focus_serial != first and first != 0
    area.show_problems("Load the eligible population first.")
    assert area.text == "There is a problem Load the eligible population first."
    area.show_status("Loaded.")
    assert area.kind == "status" and "There is a problem" not in area.value


def test_each_problem_links_to_its_field():
    area = Feedback()
    area.show_problems(
        WorkbookError(Problem("not_text", "'perhaps' is not an answer.")), fields="f1"
    )
    assert '<a href="#f1" data-wb-field="f1">' in area.value
    assert "1 problem: nothing was changed." in area.text  # the default title stays
    problems = [
        Problem("not_text", "no <seed>.", column="seed"),
        Problem("not_text", "no file.", place="population"),
        Problem("not_text", "the store is read-only."),
    ]
    area.show_problems(problems, "Nothing was drawn.", fields={"seed": "s-id", "population": "p"})
    assert '<a href="#s-id" data-wb-field="s-id">column &#39;seed&#39;: no &lt;seed&gt;.</a>' in (
        area.value
    )
    assert '<a href="#p" data-wb-field="p">population: no file.</a>' in area.value
    assert "<li>the store is read-only.</li>" in area.value  # no field: plain text
    area.show_problems("The file is empty.", fields="upload")
    assert '<a href="#upload" data-wb-field="upload">The file is empty.</a>' in area.value
