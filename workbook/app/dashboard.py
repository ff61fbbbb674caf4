"""The stakeholders' dashboard: read-only, aggregate-only, offline.

``notebooks/dashboard.ipynb`` calls :func:`open_dashboard`, which reads the settings, opens
the store read-only (the connection refuses writes), reads and rates the inspection with
:func:`workbook.store.load_rated` (the framework checked against the version the inspection is
pinned to) with a breakdown by LDU, and returns the page. The Voilà kernel imports this module
for its kernel manager, so imports stay inside the functions. A missing or broken store, or an
unknown inspection, gives a page with a fixed message that tells a visitor nothing about the
store, the file system or the software; the detail goes to the server's log (``logging``).

Serving (see the README): from the repository folder, where ``voila.json`` is read, the one
notebook on its own (the page is then at the server's root address, ``http://127.0.0.1:8866/``,
and no other notebook of the folder is served),

    WORKBOOK_MODE=dashboard JUPYTER_PATH=workbook/templates \
        voila notebooks/dashboard.ipynb --Voila.ip=127.0.0.1 --template=workbook

:func:`voila_command` gives the same command for scripts, tests and benchmarks.
"""

from __future__ import annotations

import logging
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


def _log_to_server() -> None:
    """Send this module's log to the process's own stderr (the server's log: a Voilà kernel
    inherits it), never to ``sys.stderr``, which a kernel sends to the visitor's page."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
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


def open_dashboard(inspection: str | None = None, db_url: str | None = None):
    """The dashboard page for ``inspection`` (default: the WORKBOOK_INSPECTION setting) in the
    store at ``db_url`` (default: the WORKBOOK_DB setting), opened read-only.

    Returns a :class:`~workbook.ui.dashboard.page.DashboardPage`, whose ``store`` is the
    read-only store it read from, or a :class:`~workbook.ui.dashboard.problem.DashboardProblem`
    with a fixed message (what is wrong is written to the server's log, never to the page)."""
    from ..ui.dashboard.page import DashboardPage

    try:
        settings = load_settings()
    except WorkbookError as exc:
        return _unavailable("The dashboard's settings are not valid", exc)
    name = inspection or settings.inspection
    store = None
    try:
        from ..store import open_store

        store = open_store(
            db_url or settings.db_url, read_only=True, frameworks=settings.frameworks_dir
        )
        framework, figures = dashboard_figures(store, name, settings.suppression)
        page = DashboardPage(framework, figures)
    except Exception as exc:  # shown on the page: Voilà hides tracebacks
        if store is not None:
            try:
                store.close()
            except Exception:
                pass
        return _unavailable(f"The dashboard cannot show inspection {name!r}", exc)
    page.store = store
    return page


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


def _kernel_manager_class():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    class DashboardKernelManager(AsyncMappingKernelManager):
        """Culls the idle kernels of closed pages (``cull_idle_timeout``) but never a preheated
        kernel waiting in Voilà's pool: Voilà would drop it from the pool without refilling,
        and every later visitor would wait for a cold kernel."""

        def _pooled(self, kernel_id: str) -> bool:
            for pool in getattr(self, "_pools", {}).values():
                for task in pool:
                    if not task.done() or task.cancelled() or task.exception() is not None:
                        continue
                    if task.result().get("kernel_id") == kernel_id:
                        return True
            return False

        async def cull_kernel_if_idle(self, kernel_id):
            if self._pooled(kernel_id):
                return None
            return await super().cull_kernel_if_idle(kernel_id)

    return DashboardKernelManager


def __getattr__(name: str):
    # ``VoilaConfiguration.multi_kernel_manager_class`` names
    # ``workbook.app.dashboard.DashboardKernelManager``; built on first use so that a kernel
    # importing this module does not import the Jupyter server.
    if name == "DashboardKernelManager":
        cls = _kernel_manager_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
