"""DashboardPage and DashboardProblem: the stakeholders' page from figures, without a browser."""

from __future__ import annotations

import ipywidgets as widgets

from tests.app.test_dashboard import _figures
from workbook.render.palette import BAND_COLOURS
from workbook.ui.dashboard.page import DashboardPage
from workbook.ui.dashboard.problem import DashboardProblem


def test_the_page_carries_the_one_stylesheet_once_in_its_first_section():
    framework, f = _figures()
    page = DashboardPage(framework, f)
    sections = [page.summary, page.method, page.annex, page.heatmap, page.sample]
    assert page.summary.value.startswith("<style>")
    assert [s.value.count("<style>") for s in sections] == [1, 0, 0, 0, 0]
    assert all('<div class="wb-dash">' in s.value for s in sections)


def test_every_band_on_the_page_is_written_as_a_word_on_its_colour():
    framework, f = _figures()
    page = DashboardPage(framework, f)
    for section in (page.summary, page.annex, page.heatmap):
        for cell in section.value.split('<span class="wb-band ')[1:]:
            style, word = cell.split(">", 2)[0], cell.split(">", 1)[1].split("<", 1)[0]
            band = next(b for b in BAND_COLOURS if word.startswith(b))
            assert BAND_COLOURS[band] in style


def test_a_problem_is_the_one_error_box_with_every_line_escaped():
    problem = DashboardProblem("Cannot show <this>", ["a & b", "c"])
    assert isinstance(problem, widgets.VBox)
    html = problem.message.value
    assert '<div role="alert" class="wb-problem wb-error-summary">' in html
    assert "<strong>Cannot show &lt;this&gt;</strong>" in html
    assert "<li>a &amp; b</li><li>c</li>" in html
