"""The one palette meets WCAG 2.2 AA: contrast ratios computed from its own values (WCAG's
relative luminance), and no colour in the package's code or templates that is not the palette's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbook.framework import RATINGS
from workbook.render import palette

PACKAGE = Path(palette.__file__).resolve().parents[1]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #rrggbb or #rgb."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_luminance_and_ratio_follow_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert luminance("#fff") == pytest.approx(1.0) and luminance("#808080") == pytest.approx(
        0.2159, abs=1e-4
    )


def test_every_band_has_a_fill_and_a_text_colour_in_the_order_shown():
    assert list(palette.BAND_COLOURS) == list(RATINGS) == list(palette.BAND_TEXT)


@pytest.mark.parametrize("band", RATINGS)
def test_text_on_each_band_is_at_least_4_5_to_1(band):
    assert contrast(palette.BAND_COLOURS[band], palette.BAND_TEXT[band]) >= 4.5


@pytest.mark.parametrize("upper, lower", list(zip(RATINGS[:-1], RATINGS[1:], strict=True)))
def test_each_band_against_the_next_is_at_least_3_to_1(upper, lower):
    assert contrast(palette.BAND_COLOURS[upper], palette.BAND_COLOURS[lower]) >= 3.0


@pytest.mark.parametrize("band", RATINGS)
def test_each_band_against_the_white_page_is_at_least_3_to_1(band):
    assert contrast(palette.BAND_COLOURS[band], palette.PAGE_COLOUR) >= 3.0
    assert palette.PAGE_COLOUR == "#ffffff"


@pytest.mark.parametrize("cell", list(palette.NO_FIGURE))
def test_the_words_in_a_no_figure_cell_are_at_least_4_5_to_1(cell):
    assert contrast(palette.NO_FIGURE[cell], palette.NO_FIGURE_TEXT) >= 4.5
    assert contrast(palette.NO_FIGURE[cell], palette.FONT_COLOUR) >= 4.5


@pytest.mark.parametrize(
    "fill", ["PAGE_COLOUR", "HEADER_FILL", "ROW_FILL", "PROBLEM_FILL", "BANNER_FILL"]
)
def test_page_text_reads_on_the_page_and_its_fills(fill):
    background = getattr(palette, fill)
    texts = ("FONT_COLOUR", "MUTED_COLOUR", "ERROR_COLOUR", "ACCENT_COLOUR")
    for text in (*texts, "LINK_VISITED", "LINK_HOVER"):
        assert contrast(background, getattr(palette, text)) >= 4.5, (text, fill)


def test_a_focused_link_reads_on_its_yellow():
    assert contrast(palette.FOCUS_COLOUR, palette.FONT_COLOUR) >= 4.5


def test_lines_and_group_colours_are_at_least_3_to_1_on_the_page():
    lines = (palette.RULE_COLOUR, palette.ACCENT_COLOUR, palette.BANNER_BORDER)
    for colour in (*lines, palette.WARNING_BORDER):
        assert contrast(colour, palette.PAGE_COLOUR) >= 3.0, colour
    for colour in palette.GROUP_COLOURS:
        assert contrast(colour, palette.PAGE_COLOUR) >= 3.0, colour
    assert len(set(palette.GROUP_COLOURS)) == len(palette.GROUP_COLOURS)


def _palette_values() -> set[str]:
    values = set()
    for name in dir(palette):
        if not name.isupper():
            continue
        value = getattr(palette, name)
        if isinstance(value, str) and HEX.fullmatch(value):
            values.add(value.lower())
        elif isinstance(value, dict):
            values |= {v.lower() for v in value.values()}
        elif isinstance(value, tuple):
            values |= {v.lower() for v in value}
    return values


def test_no_colour_in_the_package_is_outside_the_palette():
    """A colour written in the package's code, templates, scripts or styles is one of the
    palette's (so the board, the dashboard, the site and the trainers' charts cannot drift)."""
    allowed = _palette_values()
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in {".py", ".j2", ".js", ".css", ".html"} or path.name == "palette.py":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for colour in HEX.findall(line):
                if colour.lower() not in allowed:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {colour}")
    assert not found, "colours not from workbook/render/palette.py:\n" + "\n".join(found)
