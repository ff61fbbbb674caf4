"""HTML from templates: one Jinja2 environment with autoescape on, one stylesheet.

Every HTML fragment the workbook shows (the inspectors' widgets, the dashboard, the static
site, the exports) is a template in ``workbook/render/templates/``. Python passes values in;
the templates escape them. Shared pieces are macros in ``macros.html.j2`` that other templates
import: ``band`` (the band cell: the word on its colour), ``rating`` and ``data_table``; the
error box is ``problems.html.j2``; the one stylesheet is ``workbook.css.j2``
(:func:`stylesheet`, or ``{% include "style.html.j2" %}`` for a ``<style>`` element). The
band colours come from :mod:`workbook.render.palette`.
"""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup

from . import palette

__all__ = ["Markup", "band_cell", "environment", "render", "style_tag", "stylesheet"]


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: package templates, autoescape on, undefined names fail."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("workbook.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates ship with the package: no file check on every render
    )
    env.globals.update(
        band_colours=palette.BAND_COLOURS,
        band_text=palette.BAND_TEXT,
        band_class=palette.band_class,
        font_colour=palette.FONT_COLOUR,
        muted_colour=palette.MUTED_COLOUR,
        error_colour=palette.ERROR_COLOUR,
        accent_colour=palette.ACCENT_COLOUR,
        palette=palette,  # every other colour, by its name in palette.py
    )
    return env


def render(name: str, /, **context) -> str:
    """Render the template ``name`` (a path under ``render/templates/``) with ``context``."""
    return environment().get_template(name).render(**context)


@cache
def stylesheet() -> str:
    """The one stylesheet (CSS text) of the page, the static site and the widgets."""
    return render("workbook.css.j2")


@cache
def style_tag() -> Markup:
    """The stylesheet as a ``<style>`` element, to put in front of a fragment."""
    return Markup(render("style.html.j2"))


def band_cell(band: str | None, text: str | None = None) -> Markup:
    """The band cell (``macros.html.j2``'s ``band``) for Python callers: the band's word (or
    ``text``) on its colour; without a band, ``text`` alone, escaped."""
    return Markup(environment().get_template("macros.html.j2").module.band(band, text))
