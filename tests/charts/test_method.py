"""The method charts use the one band palette and keep their bars visible on white."""

from __future__ import annotations

import pandas as pd

from workbook.charts import method
from workbook.framework import RATINGS
from workbook.render.palette import BAND_COLOURS


def test_method_charts_use_the_one_band_palette():
    figures = pd.DataFrame(
        {"question": ["2.1.1"], "pct": [81.0], "band": ["Outstanding"], "yes": [81], "n": [100]}
    )
    thresholds = pd.DataFrame({"band": list(RATINGS), "min_pct": [80, 65, 50, 0]})
    spec = method.band_bars_chart(figures, thresholds).to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["color"]["scale"]["range"] == [BAND_COLOURS[b] for b in RATINGS]
    assert bars["mark"]["stroke"] == method.TEXT  # an outline: 3:1 on white whatever the fill
