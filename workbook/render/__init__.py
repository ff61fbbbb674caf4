"""HTML from templates: one Jinja2 environment with autoescape on, one stylesheet.

Every HTML fragment the workbook shows (the inspectors' widgets, the dashboard, the static
site, the exports) is a template in ``workbook/render/templates/``. Python passes values in;
the templates escape them. Shared pieces (the band cell, the error box, tables) are macros
that other templates import.
"""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup

__all__ = ["Markup", "environment", "render"]


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: package templates, autoescape on, undefined names fail."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("workbook.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, /, **context) -> str:
    """Render the template ``name`` (a path under ``render/templates/``) with ``context``."""
    return environment().get_template(name).render(**context)
