"""The stakeholders' dashboard: read-only, aggregate-only, offline, and light to visit.

``notebooks/dashboard.ipynb`` calls :func:`open_dashboard`. The figures are computed once per
change of the inspection, not once per visit: the dashboard's snapshot (every fragment of the
page rendered, :mod:`workbook.render.snapshot`) is kept in the snapshots folder and rebuilt by
the dashboard server (:mod:`workbook.app.dashboard_server`) when the store changes, and a visit's
kernel only reads it (:mod:`workbook.ui.dashboard.snapshot`: no pandas, Altair or store). With
no usable snapshot (the first visit, or Voilà run without the workbook's kernel manager) the
kernel reads the store read-only, renders the snapshot and writes it for the visits after.

A missing or broken store, or an unknown inspection, gives a page with a fixed message that
tells a visitor nothing about the store, the file system or the software; the detail goes to
the server's log (``logging``).

Serving (see the README): from the repository folder, where ``voila.json`` is read, the one
notebook on its own (the page is then at the server's root address, ``http://127.0.0.1:8866/``,
and no other notebook of the folder is served),

    WORKBOOK_MODE=dashboard JUPYTER_PATH=workbook/templates \
        voila notebooks/dashboard.ipynb --Voila.ip=127.0.0.1 --template=workbook

:func:`voila_command` gives the same command for scripts, tests and benchmarks.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..config import PACKAGE_DIR, REPO_DIR, load_settings
from ..errors import WorkbookError

TEMPLATES = PACKAGE_DIR / "templates"  # JUPYTER_PATH root holding voila/templates/workbook
TEMPLATE = "workbook"
NOTEBOOKS = REPO_DIR / "notebooks"
# Served on its own (Voilà's single-notebook mode, at the server's root address): the dashboard
# server renders no other notebook, lists no folder and has no contents API.
DASHBOARD_NOTEBOOK = NOTEBOOKS / "dashboard.ipynb"
VOILA_SETTINGS = REPO_DIR / "voila.json"
KEEPER_WAIT = 45.0  # seconds a visitor's kernel waits for the server's first snapshot
UNAVAILABLE = "The dashboard cannot show this inspection at the moment."
UNAVAILABLE_LINES = ["Please try again later. The details are in the dashboard server's log."]

log = logging.getLogger(__name__)


def read_inspection(store, name: str):
    """The inspection read and rated from an open store (:func:`workbook.store.load_rated`),
    with a breakdown by LDU when its cases have one."""
    from ..errors import InputError
    from ..reasons import Reason
    from ..store import load_rated

    try:
        return load_rated(store, name, by=("ldu",))
    except InputError as exc:
        if any(p.code != Reason.UNKNOWN_ATTRIBUTE for p in exc.problems):
            raise
        return load_rated(store, name)


def dashboard_figures(store, name: str, suppress_below: int = 5):
    """(framework, DashboardFigures) of one inspection: aggregated and suppressed."""
    from ..report.dashboard import build_figures

    rated = read_inspection(store, name)
    figures = build_figures(
        rated.framework,
        rated.ratings,
        rated.cases,
        suppress_below=suppress_below,
        title=name,
        provider=getattr(rated.inspection, "provider", "") or "",
    )
    return rated.framework, figures


def _problem_lines(exc: BaseException) -> list[str]:
    if isinstance(exc, WorkbookError):
        return [str(p) for p in exc.problems] or [str(exc)]
    return [f"The inspection store could not be read ({type(exc).__name__}: {exc})."]


def _server_stderr():
    """The process's own stderr, the server's log (a Voilà kernel inherits it). In a kernel,
    ``sys.stderr`` goes to the visitor's page, and so does ``sys.__stderr__``: ipykernel
    captures file descriptor 2 and sends what is written to it as output; the descriptor its
    ``sys.stderr.fileno()`` gives is the original one, which it does not capture."""
    try:
        return open(sys.stderr.fileno(), "w", buffering=1, closefd=False)  # noqa: SIM115
    except (AttributeError, OSError, ValueError):
        return sys.__stderr__


class _ServerLog(logging.StreamHandler):
    """Writes each record to the process's stderr as it is at that moment (:func:`_server_stderr`),
    not as it was when the handler was made."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = _server_stderr()
        super().emit(record)


def _log_to_server() -> None:
    """Send this module's log to the process's own stderr (the server's log), never to what a
    kernel sends to the visitor's page (:func:`_server_stderr`)."""
    if not log.handlers:
        handler = _ServerLog()
        handler.setFormatter(logging.Formatter("[%(name)s] %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False


def _unavailable(what: str, exc: BaseException):
    """The page a visitor sees when the dashboard cannot be shown: a fixed message that names
    no store, path, address, inspection or software; the detail goes to the server's log."""
    from ..ui.dashboard.problem import DashboardProblem

    _log_to_server()
    log.error("%s: %s", what, " ".join(_problem_lines(exc)), exc_info=exc)
    return DashboardProblem(UNAVAILABLE, list(UNAVAILABLE_LINES))


def inspection_snapshot(store, name: str, suppression: int) -> dict:
    """The dashboard's snapshot of inspection ``name`` read from an open store: the page's
    fragments rendered from aggregated, suppressed figures, keyed by the last change."""
    from ..render.snapshot import build_snapshot

    token = store.last_change(name)
    framework, figures = dashboard_figures(store, name, suppression)
    return build_snapshot(framework, figures, inspection=name, token=token, suppression=suppression)


def write_inspection_snapshot(settings, name: str | None = None) -> Path:
    """Render the snapshot of ``name`` (default: the settings' inspection) from the settings'
    store, opened read-only, and write it atomically to the snapshots folder.
    Raises WorkbookError if the store or the inspection cannot be read, OSError if the file
    cannot be written."""
    from ..store import open_store
    from ..ui.dashboard.snapshot import snapshot_path, write_snapshot

    name = name or settings.inspection
    store = open_store(settings.db_url, read_only=True, frameworks=settings.frameworks_dir)
    try:
        snapshot = inspection_snapshot(store, name, settings.suppression)
    finally:
        store.close()
    return write_snapshot(snapshot_path(settings.snapshots_dir, name, settings.db_url), snapshot)


def _stored_snapshot(settings, name: str, wait: float = 0.0):
    """The snapshot kept for ``name`` if it can be used, else None (why goes to the log);
    with a keeper at work (the dashboard server's, see ``dashboard_server``), waits up to
    ``wait`` seconds for it to write one."""
    import time

    from ..ui.dashboard.snapshot import SnapshotError, read_snapshot, snapshot_path

    path = snapshot_path(settings.snapshots_dir, name, settings.db_url)
    deadline = time.monotonic() + wait
    while True:
        try:
            return read_snapshot(path, name, settings.suppression), path
        except SnapshotError as exc:
            if time.monotonic() >= deadline:
                _log_to_server()
                log.info("No usable dashboard snapshot for %r (%s): rendering one", name, exc)
                return None, path
        time.sleep(0.25)


def _fresh_snapshot(settings, name: str, db_url: str | None):
    """A snapshot rendered now from the store (read-only)."""
    from ..store import open_store

    store = open_store(
        db_url or settings.db_url, read_only=True, frameworks=settings.frameworks_dir
    )
    try:
        return inspection_snapshot(store, name, settings.suppression)
    finally:
        store.close()


def open_dashboard(inspection: str | None = None, db_url: str | None = None):
    """The dashboard page for ``inspection`` (default: the WORKBOOK_INSPECTION setting).

    Shows the snapshot kept in the snapshots folder; with none that can be used, or when
    ``db_url`` names a store other than the settings' one, reads the store (opened read-only)
    and renders it now (and keeps it, for the settings' store). Returns a
    :class:`~workbook.ui.dashboard.page.DashboardPage`, or a
    :class:`~workbook.ui.dashboard.problem.DashboardProblem` with a fixed message (what is
    wrong is written to the server's log, never to the page)."""
    from ..ui.dashboard.page import DashboardPage

    try:
        settings = load_settings()
    except WorkbookError as exc:
        return _unavailable("The dashboard's settings are not valid", exc)
    name = inspection or settings.inspection
    path = None
    snapshot = None
    if db_url is None:
        kept = os.environ.get("WORKBOOK_SNAPSHOT_KEEPER") == "1"
        snapshot, path = _stored_snapshot(settings, name, KEEPER_WAIT if kept else 0.0)
    if snapshot is None:
        try:
            snapshot = _fresh_snapshot(settings, name, db_url)
        except Exception as exc:  # shown on the page: Voilà hides tracebacks
            return _unavailable(f"The dashboard cannot show inspection {name!r}", exc)
        if path is not None:
            _keep(path, snapshot)
    return DashboardPage(snapshot, source=path)


def _keep(path: Path, snapshot: dict) -> None:
    """Write the snapshot for later visits; a folder that cannot be written is only logged."""
    from ..ui.dashboard.snapshot import write_snapshot

    try:
        write_snapshot(path, snapshot)
    except OSError as exc:
        _log_to_server()
        log.warning("The dashboard snapshot could not be kept: %s", exc)


def voila_options(
    preheat: bool | None = None, pool_size: int | None = None
) -> tuple[list[str], dict[str, str]]:
    """(Voilà options, environment additions) of the dashboard: the offline template and
    dashboard mode, set by the server's environment (never by a visitor). ``preheat`` and
    ``pool_size`` override voila.json (which preheats one dashboard kernel)."""
    options = [f"--template={TEMPLATE}"]
    if preheat is not None:
        options.append(f"--preheat_kernel={preheat}")
    if pool_size is not None:
        options.append(f"--pool_size={pool_size}")
    return options, {"WORKBOOK_MODE": "dashboard", "JUPYTER_PATH": str(TEMPLATES)}


def voila_command(
    notebooks: Path | str = DASHBOARD_NOTEBOOK,
    port: int = 8866,
    preheat: bool | None = None,
    pool_size: int | None = None,
    python: str | None = None,
    extra: Sequence[str] = (),
) -> tuple[list[str], dict[str, str]]:
    """(argv, environment additions) that serve ``notebooks`` (by default the dashboard notebook
    alone, at the root address) with Voilà on 127.0.0.1 in dashboard mode with the workbook's offline template. Run it from the folder holding
    ``voila.json`` (the repository) so the committed settings apply."""
    options, env = voila_options(preheat, pool_size)
    argv = [
        python or sys.executable,
        "-m",
        "voila",
        str(notebooks),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        *options,
        *extra,
    ]
    return argv, env


def __getattr__(name: str):
    # ``VoilaConfiguration.multi_kernel_manager_class`` names
    # ``workbook.app.dashboard.DashboardKernelManager``: it lives in ``dashboard_server``, loaded
    # on first use so that a kernel importing this module does not import the Jupyter server.
    if name == "DashboardKernelManager":
        from .dashboard_server import DashboardKernelManager

        globals()[name] = DashboardKernelManager
        return DashboardKernelManager
    raise AttributeError(name)
