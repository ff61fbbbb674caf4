"""The shared templates: the band cell, the error box, the one stylesheet and palette."""

from __future__ import annotations

import pytest

from workbook import report
from workbook.errors import InputError, Problem
from workbook.framework import RATINGS
from workbook.render import band_cell, render, style_tag, stylesheet
from workbook.render.palette import BAND_COLOURS, BAND_TEXT, band_class


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_adjacent_bands_differ_by_at_least_three_to_one():
    for upper, lower in zip(RATINGS, RATINGS[1:], strict=False):
        assert _contrast(BAND_COLOURS[upper], BAND_COLOURS[lower]) >= 3.0, (upper, lower)


def test_text_on_every_band_has_at_least_four_and_a_half_to_one():
    for band in RATINGS:
        assert _contrast(BAND_COLOURS[band], BAND_TEXT[band]) >= 4.5, band


@pytest.mark.parametrize("band", RATINGS)
def test_the_band_cell_always_writes_the_band_as_a_word(band):
    cell = band_cell(band)
    assert f">{band}</span>" in cell
    assert band_class(band) in cell and BAND_COLOURS[band] in cell


def test_the_band_cell_escapes_its_text_and_shows_other_words_plainly():
    assert band_cell("Good", "Good <b>70%</b>").count("<b>") == 0
    assert band_cell(None, "fewer than 5 cases") == "fewer than 5 cases"
    assert band_cell(None, "<script>") == "&lt;script&gt;"
    assert band_cell(None) == ""


def test_the_stylesheet_holds_every_band_from_the_one_palette():
    css = stylesheet()
    for band in RATINGS:
        assert f".{band_class(band)} {{ background: {BAND_COLOURS[band]}" in css
    assert style_tag().startswith("<style>") and css in style_tag()


def test_the_error_box_is_an_alert_with_a_title_and_escaped_lines():
    box = render("problems.html.j2", title="Cannot <open>", lines=["a & b", "c"])
    assert box.startswith('<div role="alert" class="wb-problem wb-error-summary">')
    assert "<strong>Cannot &lt;open&gt;</strong>" in box
    assert "<li>a &amp; b</li><li>c</li>" in box


def test_problems_html_renders_the_one_error_box():
    assert report.problems_html("Load the <population> first.") == (
        '<div role="alert" class="wb-problem wb-error-summary">'
        "<p>Load the &lt;population&gt; first.</p></div>"
    )
    one = report.problems_html([Problem("not_text", "only <one>")])
    assert "<strong>1 problem: nothing was changed.</strong>" in one
    assert "<p>only &lt;one&gt;</p>" in one
    located = Problem("not_text", "bad", file="a.csv", row=3, column="c", value="v<")
    table = report.problems_html(InputError(located), "Title")
    assert "<strong>Title</strong>" in table
    assert '<th scope="col">file</th>' in table and "<td>v&lt;</td>" in table


def test_a_long_list_of_problems_says_how_many_are_left_off():
    many = [Problem("not_text", f"bad {i}", file="a.csv", row=i) for i in range(205)]
    assert "... and 5 more rows." in report.problems_html(many)


def test_the_heatmaps_column_headings_wrap_and_are_never_cut():
    """Vega cuts a long axis label with an ellipsis; the dashboard's heatmap writes each LDU's
    name in full, on two lines where it needs them (the control: the chart as drawn)."""
    import re

    from tests.app.test_dashboard import _figures
    from workbook.charts import chart_svg, draw_heatmap
    from workbook.render.dashboard import wrapped_labels
    from workbook.report.dashboard import chart_rows

    _framework, f = _figures()
    figures = chart_rows(f.figures)
    long_name = "Shropshire, Telford and Herefordshire"
    figures = figures.replace({"group": {"North": long_name}})
    chart = draw_heatmap(figures)
    assert "…" in chart_svg(chart)  # as drawn, the long name is cut
    svg = chart_svg(wrapped_labels(chart, [*figures["group"].unique()]))
    assert "…" not in svg
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert "Shropshire, Telford" in lines and "and Herefordshire" in lines


def test_the_heatmaps_words_are_written_in_the_text_colour_of_their_band():
    """Each cell's words in the palette's text colour for its band (4.5:1), never in the cell's
    own colour, and the band legend is drawn."""
    import re

    from tests.app.test_dashboard import _figures
    from workbook.render.dashboard import heatmap_html

    _framework, f = _figures()
    html = heatmap_html(f)
    bands = "|".join(RATINGS)
    words = re.findall(r'fill="(#[0-9a-fA-F]{6})"[^>]*>((?:' + bands + r") \d+%)</text>", html)
    assert len(words) >= 3
    for fill, text in words:
        band = next(b for b in RATINGS if text.startswith(b))
        assert fill.lower() == BAND_TEXT[band].lower(), text
    assert "legend" in html.lower()
