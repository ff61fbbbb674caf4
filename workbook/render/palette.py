"""The one palette: a fill per band, the text colour that reads on it, and the page's colours.

Every band cell (the dashboard, the static site, the inspectors' board), every chart and the one
stylesheet take their colours from here (``tests/render/test_palette.py`` computes the WCAG
contrast ratios from these values). A band is always written as a word as well, never shown by
colour alone. The rules, in the order the bands are shown (Outstanding, Good, Requires
improvement, Inadequate):

- each band against the next: at least 3:1, so neighbouring cells and stacked bars stay apart
  for readers who see no hue;
- each band against the white page: at least 3:1 (a bar or cell is visible without its
  outline);
- the text on each band, and on each no-figure cell: at least 4.5:1.

Four fills cannot get steadily darker and keep 3:1 between each pair and against white, so
lightness alternates (mid, dark, mid, dark) while the hue carries the direction: blue for the
two upper bands, orange, then the darkest, a deep red, for Inadequate.
"""

from __future__ import annotations

BAND_COLOURS = {
    "Outstanding": "#3a8fd0",
    "Good": "#0a3466",
    "Requires improvement": "#e0700f",
    "Inadequate": "#5c0000",
}
BAND_TEXT = {
    "Outstanding": "#000000",
    "Good": "#ffffff",
    "Requires improvement": "#000000",
    "Inadequate": "#ffffff",
}
# Cells with no figure (not bands: they carry their words too), and the text on them.
NO_FIGURE = {"too few cases": "#d9d9d9", "no answers yet": "#f7f7f7"}
NO_FIGURE_TEXT = "#000000"

# The page: text, quieter text, problems, lines and fills. Each text colour is at least 4.5:1
# on the page and on the fills it is used on; each line at least 3:1 on the page.
PAGE_COLOUR = "#ffffff"
FONT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#505a5f"
ERROR_COLOUR = "#a4262c"
ACCENT_COLOUR = "#1d70b8"  # links, the heading rule, the focus ring
LINK_VISITED = "#4c2c92"
LINK_HOVER = "#003078"
RULE_COLOUR = "#505a5f"  # threshold lines and axes drawn on charts
BORDER_COLOUR = "#b1b4b6"  # table cell borders (decorative: the text carries the content)
HEADER_FILL = "#f3f2f1"
ROW_FILL = "#f8f8f8"
PROBLEM_FILL = "#fdecea"
BANNER_FILL = "#fff7bf"
BANNER_BORDER = "#b58800"
WARNING_BORDER = "#8a6d00"  # the loader's warnings box
FOCUS_COLOUR = "#ffdd00"  # the yellow behind a focused link on the plain error pages

# One colour (and one shape, in the charts) per group of a chart; each at least 3:1 on white.
GROUP_COLOURS = (
    "#222222",
    "#0072b2",
    "#c15200",
    "#007756",
    "#aa4499",
    "#7a6000",
    "#332288",
    "#882255",
)


def band_class(band: str) -> str:
    """The CSS class of a band's cell: ``wb-band-requires-improvement``."""
    return "wb-band-" + "-".join(band.lower().split())
