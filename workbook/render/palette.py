"""The one band palette: a fill per band and the text colour that reads on it.

Every band cell (dashboard, static site, the inspectors' board), every chart and the one
stylesheet take their colours from here. The band is always written as a word as well, never
shown by colour alone. Adjacent bands differ by at least 3:1 in contrast (so neighbouring cells
of a heatmap stay apart for readers who see no hue), and the text on each fill has a contrast of
at least 4.5:1. Four fills cannot get steadily darker and keep 3:1 between each pair, so
lightness alternates while the hue carries the direction: dark blue, light blue, orange, and
Inadequate the darkest (deep red).
"""

from __future__ import annotations

BAND_COLOURS = {
    "Outstanding": "#08519c",
    "Good": "#9ecae1",
    "Requires improvement": "#b84300",
    "Inadequate": "#3b0000",
}
BAND_TEXT = {
    "Outstanding": "#ffffff",
    "Good": "#000000",
    "Requires improvement": "#ffffff",
    "Inadequate": "#ffffff",
}
# Cells with no figure (not bands: they carry their words too).
NO_FIGURE = {"too few cases": "#d9d9d9", "no answers yet": "#f7f7f7"}
FONT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#505a5f"
ERROR_COLOUR = "#a4262c"


def band_class(band: str) -> str:
    """The CSS class of a band's cell: ``wb-band-requires-improvement``."""
    return "wb-band-" + "-".join(band.lower().split())
