"""The one render path from a chart to a picture, offline."""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbook.charts import chart_png, chart_svg


def _chart():
    data = pd.DataFrame({"band": ["Good", "Inadequate"], "n": [3, 1]})
    return alt.Chart(data).mark_bar().encode(x="n:Q", y="band:N")


def test_svg_is_rendered_offline_without_an_xml_declaration():
    svg = chart_svg(_chart())
    assert svg.startswith("<svg") and "Inadequate" in svg


def test_svg_can_be_labelled_for_screen_readers():
    svg = chart_svg(_chart(), label='Bars of "bands" & cases')
    assert svg.startswith('<svg role="img" aria-label="Bars of &#34;bands&#34; &amp; cases" ')


def test_a_specification_renders_as_the_chart_does():
    assert chart_svg(_chart().to_dict()) == chart_svg(_chart())


def test_png_is_a_picture():
    assert chart_png(_chart(), scale=1).startswith(b"\x89PNG")
