"""The dashboard server's own parts: Voilà's kernel manager for the stakeholders' dashboard.

``voila.json`` names :class:`DashboardKernelManager` (through ``workbook.app.dashboard``). In
the server's process, beside Voilà, it:

- **keeps the snapshot fresh**: every ``snapshot_every`` seconds it asks the store (read-only)
  for the inspection's last change and, when it moved, renders the snapshot again in a
  separate process (``python -m workbook snapshot``), so neither pandas' memory nor a failure
  stays in the server; visitors' kernels only read the snapshot file;
- **releases kernels nobody looks at**: a visitor's kernel whose page never opened its
  connection is shut down ``release_unconnected`` seconds after its last activity (while the
  server is preparing pages, or some page is still fetching its files, the clock waits), and
  one whose page closed ``release_disconnected`` seconds after (whether or not the page's
  shutdown request arrived); a kernel waiting in Voilà's pool is never culled;
- **caps the visitors' kernels** at ``WORKBOOK_DASHBOARD_KERNELS``: beyond it a visitor gets
  HTTP 503 and the template's plain "the dashboard is busy" page (``503.html``), which links
  to the published static page when ``WORKBOOK_SITE_URL`` is set.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from datetime import UTC, datetime

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import IOLoop, PeriodicCallback
from traitlets import Float, Integer

from ..config import load_settings

KEEPER_VARIABLE = "WORKBOOK_SNAPSHOT_KEEPER"  # tells a visitor's kernel a keeper is at work
RETRY_AFTER = 60.0  # seconds before a failed rendering of the same change is tried again
QUIET = ("starting", "busy")  # a kernel in these states is working for a page: never released


class DashboardBusy(web.HTTPError):
    """The cap on visitors' kernels is reached: HTTP 503, rendered by ``503.html``."""

    def __init__(self, site_url: str = ""):
        # the log message is the static page's address: 503.html links to it when it is one
        super().__init__(503, "%s", site_url, reason="The dashboard is busy")


class DashboardKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager for the dashboard: a fresh snapshot, released kernels, a cap."""

    visitor_kernels = Integer(
        0,
        config=True,
        help="Most visitors' kernels at once (0: the WORKBOOK_DASHBOARD_KERNELS setting).",
    )
    release_unconnected = Float(
        7.0, config=True, help="Seconds a visitor's kernel may wait for its page to connect."
    )
    release_disconnected = Float(
        3.0, config=True, help="Seconds a kernel is kept after its page disconnected."
    )
    snapshot_every = Float(
        2.0, config=True, help="Seconds between looks at the store for a change (0: never)."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting: set[str] = set()  # being started
        self._waiting: set[str] = set()  # started for Voilà's pool, not yet handed out
        self._connected: set[str] = set()  # a page has been connected at some time
        self._since: dict[str, float] = {}  # when the kernel was last seen unconnected
        self._assets_at = 0.0  # when a page last fetched one of its files (a browser loading)
        self._housekeeping: list[PeriodicCallback] = []
        self._keeper = SnapshotKeeper(self)
        IOLoop.current().add_callback(self._start_housekeeping)
        self._watch_requests()

    # -- what the server's requests say --------------------------------------------------------

    def _watch_requests(self) -> None:
        """Hear every finished request (tornado's ``log_function``, logged as tornado would):
        a page fetching its files, or its kernel's model, is a browser still loading, so the
        kernels waiting for their pages are not released meanwhile. The page itself, and
        answers refused, do not count: a flood of plain GETs keeps no kernel alive."""
        settings = getattr(self.parent, "tornado_settings", None)
        if not isinstance(settings, dict):
            return
        before = settings.get("log_function")
        base = getattr(self.parent, "base_url", "/") or "/"
        kernels = f"{base}api/kernels/"

        def heard(handler) -> None:
            (before or _log_as_tornado)(handler)
            path, status = handler.request.path, handler.get_status()
            if status >= 400 or path == base or path.startswith(f"{base}voila/render"):
                return
            now = time.monotonic()
            if path.startswith(kernels):
                kernel_id = path[len(kernels) :].split("/", 1)[0]
                if kernel_id in self._since:
                    self._since[kernel_id] = now
            else:
                self._assets_at = now

        settings["log_function"] = heard

    # -- the cap -------------------------------------------------------------------------------

    def _settings(self):
        try:
            return load_settings()
        except Exception:  # a bad setting: the defaults (the keeper logs what is wrong)
            return None

    def _kernel_count(self) -> int:
        """Kernels running or starting: visitors' and those waiting in Voilà's pool."""
        return len(set(self.list_kernel_ids()) | self._starting)

    def _cap(self) -> tuple[int, str]:
        settings = self._settings()
        cap = self.visitor_kernels or (settings.dashboard_kernels if settings else 30)
        return cap, (settings.site_url if settings else "")

    async def start_kernel(self, *args, **kwargs):
        env = kwargs.get("env") or {}
        pooled = env.get("VOILA_PREHEAT") == "True"
        cap, site_url = self._cap()
        if self._kernel_count() >= cap:
            self.log.warning("The dashboard is busy: %d kernels (the cap)", cap)
            raise DashboardBusy(site_url)
        if self._keeper.wanted():  # the kernel waits for the keeper's snapshot, not renders one
            kwargs["env"] = {**(env or os.environ), KEEPER_VARIABLE: "1"}
        kernel_id = kwargs.get("kernel_id") or str(uuid.uuid4())
        kwargs["kernel_id"] = kernel_id
        self._starting.add(kernel_id)  # counted against the cap from now on
        if pooled:
            self._waiting.add(kernel_id)
        try:
            await super().start_kernel(*args, **kwargs)
        except BaseException:
            self._waiting.discard(kernel_id)
            raise
        finally:
            self._starting.discard(kernel_id)
        self._since[kernel_id] = time.monotonic()
        self._start_housekeeping()
        return kernel_id

    # -- kernels nobody looks at ---------------------------------------------------------------

    def _pooled(self, kernel_id: str) -> bool:
        """Whether the kernel waits in Voilà's pool (ready or still pre-executing)."""
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if not task.done() or task.cancelled() or task.exception() is not None:
                    continue
                if task.result().get("kernel_id") == kernel_id:
                    return True
        return False

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id in self._waiting:
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    def _unwatched_for(self, kernel_id: str, now: float) -> float | None:
        """Seconds the visitor's kernel has gone without a page and without work, or None
        if it is not to be released (in the pool, connected, starting or busy)."""
        if kernel_id in self._starting:
            return None
        if kernel_id in self._waiting:
            if self._pooled(kernel_id) or not self._pools_ready():
                return None
            self._waiting.discard(kernel_id)  # handed out to a visitor just now
            self._since[kernel_id] = now
        if self._kernel_connections.get(kernel_id, 0) > 0:
            self._connected.add(kernel_id)
            self._since.pop(kernel_id, None)
            return None
        kernel = self._kernels.get(kernel_id)
        if kernel is None or getattr(kernel, "execution_state", "") in QUIET:
            self._since[kernel_id] = now
            return None
        since = self._since.setdefault(kernel_id, now)
        if kernel_id not in self._connected:  # a browser still loading its page
            since = max(since, self._assets_at)
        last = getattr(kernel, "last_activity", None)
        active = (datetime.now(UTC) - last).total_seconds() if last else now - since
        return min(now - since, active)

    def _pools_ready(self) -> bool:
        return all(task.done() for pool in getattr(self, "_pools", {}).values() for task in pool)

    def _preparing(self) -> bool:
        """Whether a visitor's kernel is starting or running its notebook: the server is busy
        with pages, and browsers still loading theirs are slow to connect."""
        if self._starting - self._waiting:
            return True
        for kernel_id in self.list_kernel_ids():
            kernel = self._kernels.get(kernel_id)
            if kernel_id not in self._waiting and getattr(kernel, "execution_state", "") in QUIET:
                return True
        return False

    async def _release_unwatched(self) -> None:
        now = time.monotonic()
        if self._preparing():
            self._assets_at = now  # the clocks of pages not yet connected wait
        for kernel_id in list(self.list_kernel_ids()):
            quiet = self._unwatched_for(kernel_id, now)
            if quiet is None:
                continue
            limit = (
                self.release_disconnected
                if kernel_id in self._connected
                else self.release_unconnected
            )
            if quiet >= limit:
                self.log.info("Releasing kernel %s: no page for %.0f s", kernel_id, quiet)
                await self._forget(kernel_id)
        self._refill()

    async def _forget(self, kernel_id: str) -> None:
        self._since.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        self._waiting.discard(kernel_id)
        try:
            await self.shutdown_kernel(kernel_id, now=True)  # nobody to tell: no page
        except Exception as exc:  # already gone
            self.log.info("Kernel %s was already gone (%s)", kernel_id, type(exc).__name__)

    def _refill(self) -> None:
        """Refill Voilà's pool when a refill was refused at the cap and there is room again."""
        pools = getattr(self, "_pools", None)
        fill = getattr(self, "fill_if_needed", None)
        if not pools or fill is None:
            return
        cap, _ = self._cap()
        for name, pool in pools.items():
            failed = [t for t in pool if t.done() and (t.cancelled() or t.exception() is not None)]
            for task in failed:
                pool.remove(task)
            if not pool and self._kernel_count() < cap:
                fill(delay=0, notebook_name=name)

    def _start_housekeeping(self) -> None:
        if self._housekeeping:
            return
        reaper = PeriodicCallback(self._release_unwatched, 500)
        reaper.start()
        self._housekeeping.append(reaper)
        if self.snapshot_every > 0 and self._keeper.wanted():
            keeper = PeriodicCallback(self._keeper.tick, self.snapshot_every * 1000)
            keeper.start()
            self._housekeeping.append(keeper)
            IOLoop.current().add_callback(self._keeper.tick)

    async def shutdown_all(self, *args, **kwargs):
        for callback in self._housekeeping:
            callback.stop()
        self._keeper.stop()
        return await super().shutdown_all(*args, **kwargs)


def _log_as_tornado(handler) -> None:
    """Tornado's own request log line (``Application.log_request``), for a ``log_function``."""
    from tornado.log import access_log

    status = handler.get_status()
    log = (
        access_log.info
        if status < 400
        else access_log.warning
        if status < 500
        else access_log.error
    )
    log("%d %s %.2fms", status, handler._request_summary(), 1000.0 * handler.request.request_time())


class SnapshotKeeper:
    """Renders the dashboard's snapshot again when the inspection changes (one at a time)."""

    def __init__(self, manager):
        self.manager = manager
        self.store = None
        self.built: str | None = None  # the last change the snapshot on disk was built from
        self.running: asyncio.subprocess.Process | None = None
        self.busy = False  # a look at the store or a rendering is under way
        self.last_problem = ""
        self.failed: tuple[str, float] | None = None  # the change whose rendering failed, when

    def wanted(self) -> bool:
        """Whether the server serves the dashboard (not another notebook of the folder)."""
        from .dashboard import DASHBOARD_NOTEBOOK

        served = getattr(getattr(self.manager, "parent", None), "notebook_path", "") or ""
        return not served or os.path.basename(served) == DASHBOARD_NOTEBOOK.name

    def _problem(self, text: str) -> None:
        if text != self.last_problem:
            self.manager.log.error("Dashboard snapshot: %s", text)
        self.last_problem = text

    def _last_change(self, settings) -> str:
        from ..store import open_store

        if self.store is None:
            self.store = open_store(
                settings.db_url, read_only=True, frameworks=settings.frameworks_dir
            )
        return self.store.last_change(settings.inspection)

    def _on_disk(self, settings) -> str | None:
        from ..ui.dashboard.snapshot import SnapshotError, read_snapshot, snapshot_path

        path = snapshot_path(settings.snapshots_dir, settings.inspection, settings.db_url)
        try:
            return read_snapshot(path, settings.inspection, settings.suppression)["token"]
        except SnapshotError:
            return None

    async def tick(self) -> None:
        if self.busy:
            return
        self.busy = True
        try:
            await self._look()
        finally:
            self.busy = False

    async def _look(self) -> None:
        try:
            settings = load_settings()
        except Exception as exc:
            self._problem(f"the settings are not valid ({exc})")
            return
        try:
            token = await asyncio.to_thread(self._last_change, settings)
            if self.built is None:
                self.built = await asyncio.to_thread(self._on_disk, settings)
        except Exception as exc:
            self._close_store()
            self._problem(f"the store cannot be read ({type(exc).__name__}: {exc})")
            return
        if token == self.built:
            return
        if (
            self.failed
            and self.failed[0] == token
            and time.monotonic() - self.failed[1] < RETRY_AFTER
        ):
            return
        await self._rebuild(token)

    async def _rebuild(self, token: str) -> None:
        started = time.monotonic()
        self.running = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "workbook",
            "snapshot",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            _, err = await self.running.communicate()
        finally:
            status, self.running = self.running.returncode, None
        if status == 0:
            self.built, self.failed, self.last_problem = token, None, ""
            self.manager.log.info(
                "Dashboard snapshot rendered in %.1f s", time.monotonic() - started
            )
        else:
            self.failed = (token, time.monotonic())
            self._problem(f"rendering failed ({err.decode(errors='replace').strip()[-500:]})")

    def _close_store(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except Exception:
                pass
            self.store = None

    def stop(self) -> None:
        if self.running is not None and self.running.returncode is None:
            self.running.terminate()
        self._close_store()
