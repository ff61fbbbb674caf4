"""``python -m workbook.bench dashboard``: what a visitor waits for, and what a visitor costs.

In one run, on a temporary store holding the demo inspection, Voilà serves (on 127.0.0.1, in
dashboard mode, with the workbook's template and the repository's voila.json) the dashboard
and two reference notebooks: ``minimal`` (one ipywidgets button: the floor for Voilà here)
and ``one-chart`` (one offline Altair JupyterChart). It prints:

- time from navigation to the page's content being visible in headless Chromium (the
  dashboard's overall rating; the button; the chart), median of ``--runs`` page views, with
  cold kernels and with preheated kernels (waiting for the pool to be idle between views);
- memory (RSS) of one kernel of each page;
- whether the kernel of a closed page is culled (idle timeout shortened for the run).

Targets (issue 6): dashboard time <= 1.5 x the minimal notebook's; kernel memory <= 1.2 x.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

PAGES = {
    "minimal": (
        "import ipywidgets as widgets\n\nwidgets.Button(description='Minimal')",
        ".widget-button",
    ),
    "one-chart": (
        "import altair as alt\nimport pandas as pd\n\nalt.JupyterChart.enable_offline()\n"
        "alt.JupyterChart(alt.Chart(pd.DataFrame({'kq': ['2.1.1', '2.1.2'], 'pct': [81, 83]})).mark_bar().encode(x='pct', y='kq'))",
        ".vega-embed",
    ),
    "dashboard": (None, "#wb-overall"),
}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _cpu(kernels) -> float:
    """The kernels' CPU use since the last call (a kernel that has ended counts nothing)."""
    import psutil

    total = 0.0
    for k in kernels:
        try:
            total += k.cpu_percent(interval=None)
        except psutil.Error:
            continue
    return total


def _cmdline(process) -> str:
    """A process's command line, empty for one that has ended (or cannot be read)."""
    import psutil

    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def _find(kernels, kernel_id: str):
    """The kernel among ``kernels`` whose command line names ``kernel_id``, or None."""
    return next((k for k in kernels if kernel_id in _cmdline(k)), None)


def _pids(kernels) -> set[int]:
    return {k.pid for k in kernels if k is not None}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_notebooks(folder: Path) -> None:
    import nbformat

    from ..app.dashboard import NOTEBOOKS

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(NOTEBOOKS / "dashboard.ipynb", folder / "dashboard.ipynb")
    for name, (code, _sel) in PAGES.items():
        if code is None:
            continue
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, folder / f"{name}.ipynb")


class VoilaServer:
    def __init__(
        self,
        folder: Path,
        side: Path,
        db_url: str,
        preheat: bool,
        cull: tuple[int, int] | None = None,
    ):
        from ..app.dashboard import REPO_DIR, voila_command

        self.port = _free_port()
        argv, extra = voila_command(
            folder, self.port, preheat=preheat, pool_size=1 if preheat else None
        )
        if cull:
            argv += [
                f"--MappingKernelManager.cull_idle_timeout={cull[0]}",
                f"--MappingKernelManager.cull_interval={cull[1]}",
            ]
        env = dict(os.environ, **extra, WORKBOOK_DB=db_url)
        for var in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR"):
            path = side / var.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        self.log = open(side / "voila.log", "wb")
        self.process = subprocess.Popen(
            argv,
            cwd=REPO_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voilà exited: see {side / 'voila.log'}")
            try:
                urllib.request.urlopen(self.url + "voila/static/voila.js", timeout=2)
                return
            except Exception:
                time.sleep(0.2)
        raise TimeoutError("Voilà did not start")

    def kernels(self):
        """The server's kernel processes now (one that ends while being listed is left out)."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:  # the server itself has ended
            return []
        return [p for p in children if "ipykernel" in _cmdline(p)]

    def kernel(self, kernel_id: str):
        """The kernel process of ``kernel_id``, or None while it is not (or no longer) listed."""
        return _find(self.kernels(), kernel_id)

    def wait_idle(self, expected: int = 0, timeout: float = 180) -> None:
        """Until at least ``expected`` kernels exist and together use under 5% of a core."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            kernels = self.kernels()
            _cpu(kernels)
            time.sleep(0.5)
            busy = _cpu(kernels)
            quiet = quiet + 1 if len(kernels) >= expected and busy < 5 else 0
            if quiet >= 4:
                return

    def stop(self) -> None:
        """Stop the server and its kernels (its process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


def _view(browser, url: str, selector: str) -> tuple[float, str, object]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(url, timeout=180_000)
    page.locator(selector).first.wait_for(state="visible", timeout=180_000)
    took = time.perf_counter() - t0
    kernel_id = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    return took, kernel_id, page


def _mib(process) -> float | None:
    """A process's resident memory in MiB, None for one that has ended (or is not listed)."""
    import psutil

    if process is None:
        return None
    try:
        return process.memory_info().rss / 2**20
    except psutil.Error:
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.bench dashboard", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="page views per notebook and mode (median printed)"
    )
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from ..demo import ensure_demo
    from ..store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="workbook-bench-dashboard-"))
    results: dict[tuple[str, str], list[float]] = {}
    memory: dict[str, float] = {}
    culled = pool_kept = None
    culled_after = 0.0
    try:
        db_url = f"sqlite:///{tmp / 'demo.db'}"
        store = open_store(db_url)
        ensure_demo(store)
        store.close()
        folder = tmp / "notebooks"
        _write_notebooks(folder)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for mode in ("cold", "preheated"):
                server = VoilaServer(folder, tmp / mode, db_url, preheat=mode == "preheated")
                try:
                    server.wait_idle(expected=len(PAGES) if mode == "preheated" else 0)
                    for _ in range(args.runs):
                        for name, (_code, selector) in PAGES.items():
                            took, kernel_id, page = _view(
                                browser, f"{server.url}voila/render/{name}.ipynb", selector
                            )
                            results.setdefault((name, mode), []).append(took)
                            if mode == "cold" and name not in memory:
                                server.wait_idle()
                                mib = _mib(server.kernel(kernel_id))
                                if mib is not None:
                                    memory[name] = mib
                            page.close()
                            server.wait_idle(expected=len(PAGES) if mode == "preheated" else 0)
                finally:
                    server.stop()
            # culling: a closed page's kernel must go; the preheated kernels waiting in the
            # pool (idle for longer than the timeout too) must stay
            server = VoilaServer(folder, tmp / "cull", db_url, preheat=True, cull=(10, 3))
            try:
                server.wait_idle(expected=len(PAGES))
                _took, kernel_id, page = _view(
                    browser, f"{server.url}voila/render/dashboard.ipynb", "#wb-overall"
                )
                alive_open = server.kernel(kernel_id) is not None
                page.close()
                server.wait_idle(expected=len(PAGES) + 1)
                pooled = _pids(server.kernels()) - _pids([server.kernel(kernel_id)])
                t0 = time.monotonic()
                while time.monotonic() - t0 < 60 and server.kernel(kernel_id) is not None:
                    time.sleep(1)
                culled_after = time.monotonic() - t0
                culled = alive_open and server.kernel(kernel_id) is None
                time.sleep(12)  # one more idle timeout: the pool must survive it
                pool_kept = pooled <= _pids(server.kernels())
            finally:
                server.stop()
            browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Time from navigation to content visible (s, median of {args.runs} views)")
    print(f"{'page':<12}{'cold':>8}{'preheated':>12}")
    for name in PAGES:
        cold = statistics.median(results[(name, "cold")])
        hot = statistics.median(results[(name, "preheated")])
        print(f"{name:<12}{cold:>8.2f}{hot:>12.2f}")
    for mode in ("cold", "preheated"):
        d = statistics.median(results[("dashboard", mode)])
        m = statistics.median(results[("minimal", mode)])
        print(f"dashboard / minimal, {mode}: {d / m:.2f} x (target <= 1.5)")
    print("Kernel memory (RSS, MiB)")
    for name, mib in memory.items():
        print(f"{name:<12}{mib:>8.0f}")
    if "dashboard" in memory and "minimal" in memory:
        print(
            f"dashboard / minimal: {memory['dashboard'] / memory['minimal']:.2f} x (target <= 1.2)"
        )
    if "dashboard" in memory and "one-chart" in memory:
        print(f"dashboard / one-chart: {memory['dashboard'] / memory['one-chart']:.2f} x")
    print(
        f"Closed page's kernel culled: {'yes' if culled else 'NO'}"
        + (
            f" (about {culled_after:.0f} s after the page closed, idle timeout 10 s)"
            if culled
            else ""
        )
    )
    print(
        f"Preheated kernels in the pool kept through the idle timeout: {'yes' if pool_kept else 'NO'}"
    )
    print(
        json.dumps(
            {
                "time": {f"{k[0]}/{k[1]}": statistics.median(v) for k, v in results.items()},
                "memory_mib": memory,
                "culled": culled,
                "pool_kept": pool_kept,
            }
        )
    )
    return 0
