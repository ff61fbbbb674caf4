"""The tables under a draw: each stratum's and each value's share of population and sample,
as percentages, headed in the user's own words (the population file's headings)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from ... import report


def percent(share: float) -> str:
    """A share (0.0 to 1.0) as people read it: ``"41.7%"``."""
    return f"{share * 100:.1f}%"


def _counts(table: pd.DataFrame) -> dict:
    return {
        "Cases in the population": table["population"].astype(int),
        "Share of the population": table["population_share"].map(percent),
        "Cases drawn": table["sample"].astype(int),
        "Share of the sample": table["sample_share"].map(percent),
    }


def strata_table(draw, headings: Mapping[str, str], words: Callable[[str, str], str]):
    """One row per stratum: its value in each stratum column, then the four figures."""
    keys = [k for k in ([draw.within] if draw.within else []) + list(draw.strata) if k]
    keys = list(dict.fromkeys(keys))
    cells = {headings.get(k, k): [words(k, str(v)) for v in draw.table[k]] for k in keys}
    return pd.DataFrame({**cells, **_counts(draw.table)})


def values_table(draw, headings: Mapping[str, str], words: Callable[[str, str], str]):
    """One row per value of each stratum column (the margins), for draws over two or more."""
    m = draw.margins
    return pd.DataFrame(
        {
            "Column": [headings.get(c, c) for c in m["column"]],
            "Value": [words(c, str(v)) for c, v in zip(m["column"], m["value"], strict=True)],
            **_counts(m),
        }
    )


def draw_tables(draw, headings: Mapping[str, str], words: Callable[[str, str], str]) -> str:
    """The draw's tables as HTML: by stratum, then (with two or more columns) by value."""
    html = report.html_table(
        strata_table(draw, headings, words), caption="Population and sample by stratum"
    )
    if len(draw.strata) + bool(draw.within and draw.within not in draw.strata) > 1:
        html += report.html_table(
            values_table(draw, headings, words), caption="Population and sample by value"
        )
    return html
