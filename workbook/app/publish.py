"""A static HTML dashboard: ``python -m workbook publish NAME --out site/ [--watch]``.

The same figures as the Voilà dashboard (the same builders, the same small-numbers rule, no
case id, name or note), written as ``index.html`` (``render/templates/dashboard/site.html.j2``)
with the charts as inline SVG rendered offline and the tables as HTML, and beside it
``dashboard.js`` (``render/templates/dashboard/site.js``), the small script that lets the reader
pick an LDU. The page asks nothing of any other host, runs no kernel and carries a
Content-Security-Policy that allows scripts from its own site only (no inline script), so any
ordinary web server can host it for any number of readers; without scripts every LDU's panel
is shown.

Every file is written atomically (:func:`write_atomic`: a temporary file in the same folder,
flushed to disk, then renamed over the old one) and the page last, so a reader gets the old
page or the new one, never half of one, and never a page whose script is missing. A write that
fails leaves no temporary file and the page already there unchanged.

The command line (``workbook.cli.publish``) reads the settings and passes them in;
:mod:`workbook.app.watch` keeps a published site in step with the store.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path

from ..framework import Framework

PAGE = "index.html"
SCRIPT = "dashboard.js"  # the page's <script src> (site.html.j2)
SCRIPT_SOURCE = ("templates", "dashboard", "site.js")  # in the workbook.render package


def render_site(framework: Framework, figures, published: datetime | None = None) -> str:
    """The static page's HTML."""
    from ..render.dashboard import site_html

    return site_html(framework, figures, published)


def site_script() -> bytes:
    """The page's script (the LDU picker), as shipped with the package."""
    return resources.files("workbook.render").joinpath(*SCRIPT_SOURCE).read_bytes()


def site_files(framework: Framework, figures, published: datetime | None = None) -> dict:
    """Every file of the site by name, the page last (the order they are written in)."""
    page = render_site(framework, figures, published).encode("utf-8")
    return {SCRIPT: site_script(), PAGE: page}


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, whole.

    The bytes go to a temporary file in the same folder, are flushed to disk (``fsync``), and
    the file is renamed over ``path`` (``os.replace``). On any failure the temporary file is
    removed and ``path`` is left as it was; the OSError raised names ``path``.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _sync_folder(path.parent)


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or readable by all (a web server's user)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry of the renamed file to disk (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_site(out: Path | str, files: dict) -> Path:
    """Write ``files`` (name -> bytes, the page last) into the folder ``out``, each atomically;
    a file already holding the same bytes is left alone. Returns the page's path."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if name != PAGE and _holds(path, data):
            continue
        write_atomic(path, data)
    return folder / PAGE


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def publish_from_store(store, name: str, out: Path | str, suppress_below: int) -> Path:
    """Write the site of inspection ``name`` from an open store into ``out``; returns the
    page's path. Raises WorkbookError if the inspection cannot be read, OSError (naming the
    file) if the site cannot be written: the page already there is then unchanged."""
    from .dashboard import dashboard_figures

    framework, figures = dashboard_figures(store, name, suppress_below)
    return write_site(out, site_files(framework, figures))


def publish_dashboard(
    name: str | None = None,
    out: Path | str = "site",
    db_url: str | None = None,
    *,
    suppress_below: int | None = None,
    frameworks: Path | str | None = None,
) -> Path:
    """Write ``out/index.html`` (and its script) for inspection ``name`` read from the store at
    ``db_url`` (read-only), figures over fewer than ``suppress_below`` cases suppressed;
    ``frameworks`` is the extra framework folder. What is not passed comes from the settings.
    Raises WorkbookError (StoreError) if the store or the inspection cannot be read, OSError
    naming the file if the site cannot be written."""
    from ..store import open_store

    if name is None or db_url is None or suppress_below is None:
        from ..config import load_settings

        settings = load_settings()
        name = name or settings.inspection
        db_url = db_url or settings.db_url
        suppress_below = settings.suppression if suppress_below is None else suppress_below
        frameworks = frameworks if frameworks is not None else settings.frameworks_dir
    store = open_store(db_url, read_only=True, frameworks=frameworks)
    try:
        return publish_from_store(store, name, out, suppress_below)
    finally:
        store.close()
