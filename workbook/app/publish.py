"""A static, self-contained HTML dashboard: ``python -m workbook publish NAME --out site/``.

The same figures as the Voilà dashboard (the same builders, the same small-numbers rule, no
case id, name or note), written as one ``index.html`` (``render/templates/dashboard/site.html.j2``)
with the charts as inline SVG rendered offline and the tables as HTML. It asks nothing of any
other host and runs no kernel, so any web server can host it for any number of readers. A small
inline script lets the reader pick an LDU; without scripts every LDU's panel is shown.

The command line (``workbook.cli.publish``) reads the settings and passes them in.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..framework import Framework


def render_site(framework: Framework, figures, published: datetime | None = None) -> str:
    """The static page's HTML."""
    from ..render.dashboard import site_html

    return site_html(framework, figures, published)


def publish_dashboard(
    name: str | None = None,
    out: Path | str = "site",
    db_url: str | None = None,
    *,
    suppress_below: int | None = None,
    frameworks: Path | str | None = None,
) -> Path:
    """Write ``out/index.html`` for inspection ``name`` read from the store at ``db_url``
    (read-only), figures over fewer than ``suppress_below`` cases suppressed; ``frameworks`` is
    the extra framework folder. What is not passed comes from the settings.
    Raises WorkbookError (StoreError) if the store or the inspection cannot be read."""
    from ..store import open_store
    from .dashboard import dashboard_figures

    if name is None or db_url is None or suppress_below is None:
        from ..config import load_settings

        settings = load_settings()
        name = name or settings.inspection
        db_url = db_url or settings.db_url
        suppress_below = settings.suppression if suppress_below is None else suppress_below
        frameworks = frameworks if frameworks is not None else settings.frameworks_dir
    store = open_store(db_url, read_only=True, frameworks=frameworks)
    try:
        framework, figures = dashboard_figures(store, name, suppress_below)
    finally:
        store.close()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(render_site(framework, figures), encoding="utf-8")
    tmp.replace(path)
    return path
