"""Real Voilà / JupyterLab servers and headless Chromium for tests (a pytest plugin).

Fixtures:
- ``jupyter_env``: environment for a Jupyter process whose side files (runtime, data, config,
  HOME) stay inside the test's tmp_path.
- ``voila_server``: a factory, ``voila_server(path, env={...}, args=[...], preheat=False)``,
  that starts Voilà on 127.0.0.1 on a free port, waits until it answers and returns a
  :class:`Server`; every server it started is stopped (its whole process group) on teardown.
- ``jupyterlab_server``: the same for JupyterLab, with a random token (``server.token``;
  ``server.url`` carries it).
- ``browser``: headless Debian Chromium (playwright sync API). ``browser.new_page()`` gives a
  page whose every request, response body and websocket frame is recorded in
  ``browser.traffic`` (a :class:`Traffic`), so tests can check privacy and offline-ness.

The functions ``free_port``, ``start_server``, ``stop_server`` and ``wait_until_ready`` are
plain functions too, for benchmarks and for servers a test manages itself.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from workbook.bench import CHROMIUM, CHROMIUM_ARGS

LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?(/|$)")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A server process started in its own session (stop it with :func:`stop_server`)."""

    name: str
    url: str  # base URL, ending with "/"
    port: int
    process: subprocess.Popen
    log: Path
    token: str = ""

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        stop_server(self)


def contained_env(
    root: Path, base: Mapping[str, str] | None = None, **extra: str
) -> dict[str, str]:
    """A copy of ``base`` (default: os.environ) whose Jupyter side files live under ``root``."""
    env = dict(os.environ if base is None else base)
    for name, sub in (
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("IPYTHONDIR", "ipython"),
        ("HOME", "home"),
    ):
        path = root / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.update(extra)
    return env


def wait_until_ready(
    url: str, process: subprocess.Popen, timeout: float = 90.0, log: Path | None = None
) -> None:
    """Poll ``url`` until it answers with a status below 500; fail if the process exits."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
            raise RuntimeError(
                f"server exited with status {process.returncode} before it was ready:\n{text}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
            last = str(exc)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s ({last})")


def start_server(
    name: str,
    argv: Sequence[str],
    port: int,
    env: Mapping[str, str],
    cwd: Path,
    log: Path,
    ready_path: str = "",
    token: str = "",
    timeout: float = 90.0,
) -> Server:
    """Start ``argv`` in a new session, logging to ``log``, and wait until it answers."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(name, f"http://127.0.0.1:{port}/", port, process, log, token)
    try:
        wait_until_ready(server.url + ready_path, process, timeout, log)
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server: Server, grace: float = 10.0) -> None:
    """SIGTERM the server's process group, then SIGKILL what is left after ``grace`` seconds."""
    process = server.process
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # kernels left in the group
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        pass


def server_kernels(server: Server) -> list:
    """The kernel processes a server started (psutil.Process objects)."""
    import psutil

    try:
        children = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.Error:
            pass
    return out


def wait_for_quiet_kernels(server: Server, expected: int = 0, timeout: float = 180.0) -> None:
    """Wait until the server has at least ``expected`` kernels and they have used less than 5%
    of a core for two seconds (a preheated Voilà kernel has finished running its notebook: a
    request landing on a kernel still pre-executing can hang)."""
    import psutil

    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        kernels = server_kernels(server)
        for k in kernels:
            try:
                k.cpu_percent(interval=None)
            except psutil.Error:
                pass
        time.sleep(0.5)
        busy = 0.0
        for k in kernels:
            try:
                busy += k.cpu_percent(interval=None)
            except psutil.Error:
                pass
        quiet = quiet + 1 if len(kernels) >= expected and busy < 5 else 0
        if quiet >= 4:
            return
    raise TimeoutError(f"kernels of {server.url} not quiet after {timeout:.0f} s")


def voila_argv(path: Path, port: int, args: Sequence[str] = ()) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(path),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        *args,
    ]


def jupyterlab_argv(root: Path, port: int, token: str, args: Sequence[str] = ()) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *args,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return argv


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def jupyter_env(tmp_path) -> dict[str, str]:
    return contained_env(tmp_path / "jupyter")


@pytest.fixture
def voila_server(tmp_path) -> Iterator[Callable[..., Server]]:
    """Factory: ``voila_server(path, env=None, args=(), cwd=None, timeout=90)``.

    ``env`` adds to a contained environment; ``cwd`` is where Voilà looks for voila.json
    (default: a fresh empty folder, so no stray settings apply)."""
    started: list[Server] = []

    def start(
        path: Path,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        cwd: Path | None = None,
        timeout: float = 90.0,
    ) -> Server:
        n = len(started)
        root = tmp_path / f"voila-{n}"
        run_env = contained_env(root, **dict(env or {}))
        if cwd is None:
            cwd = root / "cwd"
            cwd.mkdir(parents=True, exist_ok=True)
        port = free_port()
        server = start_server(
            "voila",
            voila_argv(Path(path), port, args),
            port,
            run_env,
            cwd,
            root / "voila.log",
            timeout=timeout,
        )
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


@pytest.fixture
def jupyterlab_server(tmp_path) -> Iterator[Callable[..., Server]]:
    """Factory: ``jupyterlab_server(root, env=None, args=(), timeout=120)``; the server has a
    random token: ``server.token``, and ``server.lab_url`` opens JupyterLab with it."""
    started: list[Server] = []

    def start(
        root: Path,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        timeout: float = 120.0,
    ) -> Server:
        n = len(started)
        side = tmp_path / f"jupyterlab-{n}"
        run_env = contained_env(side, **dict(env or {}))
        token = secrets.token_hex(16)
        port = free_port()
        server = start_server(
            "jupyterlab",
            jupyterlab_argv(Path(root), port, token, args),
            port,
            run_env,
            Path(root),
            side / "jupyterlab.log",
            ready_path=f"api/status?token={token}",
            token=token,
            timeout=timeout,
        )
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


def lab_url(server: Server, path: str = "lab") -> str:
    """A JupyterLab URL with the server's token, e.g. ``lab_url(s, "lab/tree/inspect.ipynb")``."""
    sep = "&" if "?" in path else "?"
    return f"{server.url}{path}{sep}token={server.token}"


# JupyterLab user settings for browser tests: every cell kept in the page (no windowing, so
# locators find cells off screen) and no news pop-up over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false"}',
}


def lab_settings_args(folder: Path) -> list[str]:
    """Write :data:`LAB_SETTINGS` under ``folder``; the JupyterLab argument that reads them."""
    for path, text in LAB_SETTINGS.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    return [f"--LabApp.user_settings_dir={folder}"]


def code_notebook(path: Path, code: str) -> Path:
    """A notebook of one code cell, for the Python 3 kernel, written to ``path``."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def run_all_cells(page, server: Server, notebook: str, ran: Callable) -> None:
    """Open ``notebook`` (a path under the server's root) in JupyterLab, wait for an idle
    kernel and choose Run > Run All Cells until ``ran(page)`` (a locator) appears: a click that
    lands while the kernel is still connecting is lost, so it is tried three times."""
    page.goto(lab_url(server, f"lab/tree/{notebook}"), timeout=120_000)
    page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).first.wait_for(timeout=120_000)
    for attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            ran(page).wait_for(state="attached", timeout=60_000)
            return
        except Exception:
            if attempt == 2:
                raise


@dataclass
class Traffic:
    """Everything the browser sent and received: requests (URLs), responses (with bodies,
    read on demand) and websocket frames both ways."""

    requests: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)  # playwright Response objects
    frames: list[tuple[str, str, bytes]] = field(
        default_factory=list
    )  # (url, "sent"/"received", payload)
    console_errors: list[str] = field(default_factory=list)
    _bodies: dict[int, bytes] = field(default_factory=dict)

    def foreign_requests(self, allowed: Sequence[str] = ()) -> list[str]:
        """Requests to anything but 127.0.0.1/localhost (or the ``allowed`` prefixes);
        data: and blob: URLs are local."""
        out = []
        for url in self.requests:
            if url.startswith(("data:", "blob:", "about:")) or LOCAL.match(url):
                continue
            if any(url.startswith(p) for p in allowed):
                continue
            out.append(url)
        return out

    def requests_not_to(self, base_url: str) -> list[str]:
        """Requests to anything but ``base_url`` (http and ws), data: and blob: aside."""
        ws = re.sub(r"^http", "ws", base_url)
        return [
            u for u in self.requests if not u.startswith((base_url, ws, "data:", "blob:", "about:"))
        ]

    def bodies(self) -> list[tuple[str, bytes]]:
        """(url, body) of every response with a body (redirects and failures have none)."""
        out = []
        for response in self.responses:
            key = id(response)
            if key not in self._bodies:
                try:
                    self._bodies[key] = response.body()
                except Exception:
                    self._bodies[key] = b""
            out.append((response.url, self._bodies[key]))
        return out

    def find(self, needles: Sequence[str]) -> list[str]:
        """Where any of ``needles`` appears: 'response <url>: <needle>' or 'ws <dir>: <needle>'."""
        found = []
        encoded = [(n, n.encode()) for n in needles if n]
        for url, body in self.bodies():
            for text, raw in encoded:
                if raw in body:
                    found.append(f"response {url}: {text!r}")
        for url, direction, payload in self.frames:
            for text, raw in encoded:
                if raw in payload:
                    found.append(f"websocket {direction} {url}: {text!r}")
        return found

    def clear(self) -> None:
        self.requests.clear()
        self.responses.clear()
        self.frames.clear()
        self.console_errors.clear()
        self._bodies.clear()


class RecordingBrowser:
    """A headless Chromium whose pages record their traffic into ``self.traffic``."""

    def __init__(self, browser):
        self.browser = browser
        self.traffic = Traffic()
        self.pages = []

    def new_page(self, width: int = 1400, height: int = 1000, traffic: Traffic | None = None):
        traffic = self.traffic if traffic is None else traffic
        page = self.browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda r: traffic.requests.append(r.url))
        page.on("response", lambda r: traffic.responses.append(r))
        page.on(
            "console",
            lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))

        def on_websocket(ws):
            url = ws.url
            traffic.requests.append(url)

            def frame(direction):
                def record(payload):
                    data = payload.encode() if isinstance(payload, str) else bytes(payload)
                    traffic.frames.append((url, direction, data))

                return record

            ws.on("framesent", frame("sent"))
            ws.on("framereceived", frame("received"))

        page.on("websocket", on_websocket)
        self.pages.append(page)
        return page


@pytest.fixture
def browser() -> Iterator[RecordingBrowser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield RecordingBrowser(chromium)
        finally:
            chromium.close()


# -- the dashboard as ``make dashboard`` serves it, and its kernels -----------------------------

KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")
# tornado logs a 2xx answer at INFO on "tornado.access", which Voilà leaves unconfigured (only
# warnings reach the server's output then): this setting sends those lines to the server's log
# (read from the contained Jupyter config folder, beside the repository's voila.json)
ACCESS_LOG = {
    "Voila": {
        "logging_config": {
            "loggers": {"tornado.access": {"level": "INFO", "handlers": ["console"]}}
        }
    }
}


def kernel_ids(server: Server) -> set[str]:
    """The ids of the kernels a server runs now (from their connection files' names)."""
    import psutil

    ids = set()
    for kernel in server_kernels(server):
        try:
            found = KERNEL_FILE.search(" ".join(kernel.cmdline()))
        except psutil.Error:  # ended while listed
            continue
        if found:
            ids.add(found.group(1))
    return ids


def wait_until_gone(server: Server, kernel_id: str, timeout: float) -> float | None:
    """Seconds until the server no longer runs the kernel ``kernel_id`` (polled every 0.1 s),
    None if it still runs after ``timeout`` seconds."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if kernel_id not in kernel_ids(server):
            return time.monotonic() - t0
        time.sleep(0.1)
    return None


def _process_tree(server: Server) -> list:
    """The server's process and all its descendants now (none once it has ended)."""
    import psutil

    try:
        process = psutil.Process(server.process.pid)
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def wait_for_quiet_server(server: Server, expected: int = 0, timeout: float = 240.0) -> None:
    """Wait until the server has at least ``expected`` kernels and it and every process it
    started (kernels, the dashboard's snapshot rendering) have used less than 5% of a core
    for two seconds."""
    import psutil

    def cpu(processes) -> float:
        total = 0.0
        for p in processes:
            try:
                total += p.cpu_percent(interval=None)
            except psutil.Error:
                pass
        return total

    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        tree = _process_tree(server)
        cpu(tree)
        time.sleep(0.5)
        busy = cpu(tree)
        quiet = quiet + 1 if len(server_kernels(server)) >= expected and busy < 5 else 0
        if quiet >= 4:
            return
    raise TimeoutError(f"{server.url} and its processes not quiet after {timeout:.0f} s")


def start_dashboard(
    root: Path,
    db_url: str,
    env: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
    timeout: float = 90.0,
) -> Server:
    """The dashboard served as ``make dashboard`` serves it (``voila_command()``: the dashboard
    notebook alone, at the root address), run from the repository folder so voila.json applies,
    on the store at ``db_url``, with Voilà's access log in ``server.log``; Jupyter's side files
    under ``root``. Returns once the server is idle: the kernels voila.json preheats have run
    the notebook and the dashboard's snapshot is rendered."""
    from workbook.app.dashboard import voila_command
    from workbook.bench.dashboard import preheats
    from workbook.config import REPO_DIR

    port = free_port()
    argv, extra_env = voila_command(port=port, extra=list(extra))
    run_env = contained_env(root, **{**extra_env, "WORKBOOK_DB": db_url, **dict(env or {})})
    (Path(run_env["JUPYTER_CONFIG_DIR"]) / "voila.json").write_text(json.dumps(ACCESS_LOG))
    # ready when it answers at all: a file it refuses costs no kernel
    server = start_server(
        "voila",
        argv,
        port,
        run_env,
        REPO_DIR,
        root / "voila.log",
        "voila/files/ready.png",
        timeout=timeout,
    )
    try:
        wait_for_quiet_server(server, expected=1 if preheats() else 0)
    except BaseException:
        stop_server(server)
        raise
    return server


@pytest.fixture
def dashboard_voila(tmp_path) -> Iterator[Callable[..., Server]]:
    """Factory: ``dashboard_voila(db_url, env=None, extra=())`` starts :func:`start_dashboard`
    on the store at ``db_url``; every server it started is stopped on teardown."""
    started: list[Server] = []

    def start(db_url: str, env: Mapping[str, str] | None = None, extra: Sequence[str] = ()):
        server = start_dashboard(tmp_path / f"dashboard-{len(started)}", db_url, env, extra)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


@pytest.fixture(scope="module")
def demo_db_url(tmp_path_factory) -> str:
    """A store holding the demo inspection, shared by a module's tests (which only read it)."""
    from tests.demo_store import demo_store_url

    return demo_store_url(tmp_path_factory.mktemp("demo-store"))
