"""The one render path from a chart to a picture: SVG and PNG, offline (vl-convert).

The dashboard, the static site and the exports render charts here; no URL is ever fetched.
:func:`write_chart` writes a picture file all or nothing (:func:`workbook.files.write_file`):
a failure half-way (a full disk, a file size limit) leaves no truncated picture under its name.
"""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
from markupsafe import Markup, escape

from ..files import check_path, write_file
from ..reasons import Reason

PICTURE_FORMATS = ("png", "svg")


def _vl_version() -> str | None:
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


def chart_svg(chart: alt.TopLevelMixin | dict | str, label: str | None = None) -> str:
    """A chart (or its specification) as an SVG string, rendered offline.

    With ``label``, the SVG is an image for screen readers (``role="img"``, ``aria-label``).
    The XML declaration is left off, so the string can sit in a page or be a file.
    """
    import vl_convert as vlc

    spec = chart.to_dict() if isinstance(chart, alt.TopLevelMixin) else chart
    svg = vlc.vegalite_to_svg(spec, vl_version=_vl_version(), allowed_base_urls=[])
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    if label is not None:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)


def chart_png(chart: alt.TopLevelMixin | dict | str, scale: float = 2) -> bytes:
    """A chart (or its specification) as PNG bytes, rendered offline at ``scale``."""
    import vl_convert as vlc

    spec = chart.to_dict() if isinstance(chart, alt.TopLevelMixin) else chart
    return vlc.vegalite_to_png(spec, vl_version=_vl_version(), scale=scale, allowed_base_urls=[])


def write_chart(chart: alt.TopLevelMixin | dict | str, path: Path | str, scale: float = 2) -> Path:
    """Write a chart as a PNG or SVG file (by ``path``'s suffix), rendered offline, all or
    nothing: an error naming the file (``cannot_write_export``, or ``bad_path`` for a name
    holding a control character) leaves nothing under its name."""
    path = check_path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in PICTURE_FORMATS:
        raise ValueError(f"a chart is written as {' or '.join(PICTURE_FORMATS)}, not {kind!r}")
    content = chart_png(chart, scale=scale) if kind == "png" else str(chart_svg(chart))
    return write_file(path, content, reason=Reason.CANNOT_WRITE_EXPORT)
