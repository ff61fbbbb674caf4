"""``python -m workbook.bench dashboard``: what a visitor waits for, and what a visitor costs.

On a temporary store holding the demo inspection, Voilà serves each page alone as ``make
dashboard`` serves the dashboard (single-notebook mode, the page at ``/``, the command of
:func:`workbook.app.dashboard.voila_command` run from the repository folder so its voila.json
applies), one server per page and mode: the dashboard, and ``minimal`` (one ipywidgets button:
the floor for a Voilà page here). Each figure of the dashboard is printed beside the minimal
notebook's, with their ratio: cold time to content (navigation to ``#wb-overall``, or the
button, visible in headless Chromium; median of ``--runs`` views; no preheated kernels);
preheated time to content (one kernel preheated, the pool idle before each view); one visit's
kernel (the cold views', median) once the content is visible and the kernel idle: resident
memory, and CPU time (user + system) since it started; how long the kernel of a closed page,
and of a plain GET that never opens the websocket, lives on (looked for up to 15 s); and
``--viewers`` concurrent viewers (one browser context each in one headless Chromium, all
opened at once) on one server with the committed voila.json: how many reached content, the
median and the longest time to content. A kernel that ends while it is looked up or sampled
is skipped, a page or server that fails is noted, every figure measured is printed.

Targets (issue 11): a visit's kernel < 80 MiB and < 1 CPU-second; cold time <= 1.5 x the
minimal notebook's; 20 concurrent viewers all served, median time to content < 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import CHROMIUM, CHROMIUM_ARGS

PAGES = ("dashboard", "minimal")
SELECTORS = {"dashboard": "#wb-overall", "minimal": ".widget-button"}
MINIMAL = "import ipywidgets as widgets\n\nwidgets.Button(description='Minimal')"
PROBLEM = ".wb-problem"  # the dashboard's fixed message when it cannot show the inspection
ERROR_TEXT = "There was an error when executing cell"  # Voilà's error page (HTTP 200)
KERNEL_ID_JS = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
KERNEL_ID_HTML = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"')
VIEWPORT = {"width": 1400, "height": 1000}
GONE_WAIT = 15.0  # seconds a closed page's kernel is looked for
TARGET_MIB = 80.0
TARGET_CPU = 1.0
TARGET_COLD_RATIO = 1.5
TARGET_VIEWERS = 20
TARGET_MEDIAN = 10.0
TARGETS = {  # as printed, and the test of the dashboard's figure d against the minimal's m
    "cold": (f"<= {TARGET_COLD_RATIO}x minimal", lambda d, m: m and d <= TARGET_COLD_RATIO * m),
    "mib": (f"< {TARGET_MIB:.0f} MiB", lambda d, m: d < TARGET_MIB),
    "cpu": (f"< {TARGET_CPU:.0f} CPU-second", lambda d, m: d < TARGET_CPU),
}


# -- kernel processes ------------------------------------------------------------------------


def _safe(read, default=None):
    """``read()``, or ``default`` when its process has ended (or cannot be read)."""
    import psutil

    try:
        return read()
    except psutil.Error:
        return default


def _cpu(kernels) -> float:
    """The kernels' CPU use since the last call (a kernel that has ended counts nothing)."""
    return sum(_safe(lambda k=k: k.cpu_percent(interval=None), 0.0) for k in kernels)


def _cmdline(process) -> str:
    """A process's command line, empty for one that has ended (or cannot be read)."""
    return _safe(lambda: " ".join(process.cmdline()), "")


def _find(kernels, kernel_id: str):
    """The kernel among ``kernels`` whose command line names ``kernel_id``, or None."""
    return next((k for k in kernels if kernel_id in _cmdline(k)), None)


def _pids(kernels) -> set[int]:
    return {k.pid for k in kernels if k is not None}


def _mib(process) -> float | None:
    """A process's resident memory in MiB, None for one that has ended (or is not listed)."""
    return None if process is None else _safe(lambda: process.memory_info().rss / 2**20)


def _cpu_seconds(process) -> float | None:
    """A process's CPU time since it started (user + system), None for one that has ended."""
    return None if process is None else _safe(lambda: sum(process.cpu_times()[:2]))


def _quiet(process, timeout: float = 60.0) -> bool:
    """Wait until ``process`` has used under 5% of a core for two seconds; False if it ended
    or never went quiet within ``timeout``."""
    deadline, quiet, last = time.monotonic() + timeout, 0, _cpu_seconds(process)
    while last is not None and quiet < 4 and time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_seconds(process)
        quiet = quiet + 1 if now is not None and now - last < 0.025 else 0
        last = now
    return quiet >= 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def preheats() -> bool:
    """Whether the committed voila.json preheats kernels (then the pool holds one at start)."""
    from ..app.dashboard import VOILA_SETTINGS

    settings = json.loads(VOILA_SETTINGS.read_text()).get("VoilaConfiguration", {})
    return bool(settings.get("preheat_kernel", False))


class VoilaServer:
    """One notebook served on its own by Voilà on 127.0.0.1, as ``make dashboard`` serves the
    dashboard (from the repository folder); ``preheat`` None keeps voila.json's setting."""

    def __init__(self, notebook: Path, side: Path, db_url: str, preheat: bool | None = None):
        # the home folder (the dashboard's snapshots) is beside ``side``, shared by the run
        from ..app.dashboard import REPO_DIR, voila_command

        self.port = _free_port()
        argv, extra = voila_command(
            notebook, self.port, preheat=preheat, pool_size=1 if preheat else None
        )
        env = dict(os.environ, **extra, WORKBOOK_DB=db_url, WORKBOOK_HOME=str(side.parent / "home"))
        for var in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR"):
            (side / var.lower()).mkdir(parents=True, exist_ok=True)
            env[var] = str(side / var.lower())
        self.log_path = side / "voila.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            argv,
            cwd=REPO_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        self._wait_ready(90)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"Voilà exited with status {self.process.returncode}")
            with contextlib.suppress(OSError):  # a file it refuses costs no kernel
                if plain_get(self.url + "voila/files/ready.png", 2)[0] < 500:
                    return
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"Voilà did not answer within {timeout:.0f} s")

    def _tree(self) -> list:
        """The server's process and all of its descendants now (none once it has ended)."""
        import psutil

        try:
            server = psutil.Process(self.process.pid)
            return [server, *server.children(recursive=True)]
        except psutil.Error:
            return []

    def kernels(self):
        """The server's kernel processes now (one that ends while being listed is left out)."""
        return [p for p in self._tree()[1:] if "ipykernel" in _cmdline(p)]

    def kernel(self, kernel_id: str):
        """The kernel process of ``kernel_id``, or None while it is not (or no longer) listed."""
        return _find(self.kernels(), kernel_id)

    def wait_idle(self, expected: int = 0, timeout: float = 180, exclude=()) -> bool:
        """Until at least ``expected`` kernels (not counting those of the ``exclude`` kernel
        ids) exist and the server with all its processes (kernels, the snapshot's rendering)
        uses under 5% of a core for two seconds; False on timeout."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            tree = self._tree()
            _cpu(tree)
            time.sleep(0.5)
            busy = _cpu(tree)
            kernels = [p for p in tree[1:] if "ipykernel" in _cmdline(p)]
            others = [k for k in kernels if not any(i in _cmdline(k) for i in exclude)]
            quiet = quiet + 1 if len(others) >= expected and busy < 5 else 0
            if quiet >= 4:
                return True
        return False

    def wait_gone(self, kernel_id: str, timeout: float = GONE_WAIT) -> float | None:
        """Seconds until the kernel of ``kernel_id`` is no longer running, None if it still
        runs after ``timeout`` seconds."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.kernel(kernel_id) is None:
                return time.monotonic() - t0
            time.sleep(0.2)
        return None

    def stop(self) -> None:
        """Stop the server and its kernels (its process group)."""
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


# -- visits ----------------------------------------------------------------------------------


@dataclass
class Visit:
    """One page view: ``outcome`` is "content", "busy" (HTTP 503), "refused" (another HTTP
    error), "problem" (the page's fixed message, or Voilà's error page), "timeout" or "error"."""

    outcome: str
    seconds: float
    status: int | None = None
    kernel_id: str | None = None
    detail: str = ""


async def visit(context, url: str, selector: str, timeout: float):
    """(Visit, page): a new page of ``context`` goes to ``url`` and waits up to ``timeout``
    seconds for ``selector`` to be visible (or for the answer to show it never will be)."""
    from playwright.async_api import Error, TimeoutError

    page = await context.new_page()
    t0 = time.perf_counter()
    status = None
    try:
        response = await page.goto(url, timeout=timeout * 1000, wait_until="commit")
        status = response.status if response is not None else None
        if status is not None and status >= 400:
            await page.wait_for_load_state(timeout=30_000)
            text = await page.inner_text("body")
            outcome = "busy" if status == 503 else "refused"
            return Visit(outcome, time.perf_counter() - t0, status, None, text[:300]), page
        left = max(1.0, timeout - (time.perf_counter() - t0))
        shown = page.locator(selector).or_(page.locator(PROBLEM)).or_(page.get_by_text(ERROR_TEXT))
        await shown.first.wait_for(state="visible", timeout=left * 1000)
        took = time.perf_counter() - t0
        if not await page.locator(selector).first.is_visible():
            return Visit("problem", took, status), page
        kernel_id = await page.evaluate(KERNEL_ID_JS)
        return Visit("content", took, status, kernel_id), page
    except TimeoutError:
        return Visit("timeout", time.perf_counter() - t0, status), page
    except Error as exc:
        detail = (str(exc).splitlines() or [""])[0][:300]
        return Visit("error", time.perf_counter() - t0, status, None, detail), page


async def close_page(page) -> None:
    """Close a page as a visitor closes a tab: its unload handlers run (Voilà's shutdown
    beacon); a page that is already closed is left alone."""
    from playwright.async_api import Error

    with contextlib.suppress(Error):
        await page.close(run_before_unload=True)


async def open_viewers(browser, url: str, selector: str, n: int, timeout: float):
    """(visits, contexts): ``n`` viewers, each in its own browser context of ``browser``, all
    opened at once; the caller closes the contexts."""
    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(n)]
    pairs = await asyncio.gather(*(visit(c, url, selector, timeout) for c in contexts))
    return [v for v, _page in pairs], contexts


async def close_contexts(contexts) -> None:
    """Close every page (unload handlers run), give the beacons a moment, close the contexts."""
    for context in contexts:
        for page in list(context.pages):
            await close_page(page)
    await asyncio.sleep(1)
    for context in contexts:
        await context.close()


def concurrent_viewers(url: str, selector: str, n: int, timeout: float) -> list[Visit]:
    """``n`` viewers of ``url`` opened at once, each in its own browser context of one
    headless Chromium; every page is closed before this returns."""
    from playwright.async_api import async_playwright

    async def run() -> list[Visit]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                visits, contexts = await open_viewers(browser, url, selector, n, timeout)
                await close_contexts(contexts)
            finally:
                await browser.close()
            return visits

    return asyncio.run(run())


def plain_get(url: str, timeout: float = 300) -> tuple[int, str | None, float]:
    """(HTTP status, kernel id named in the page or None, seconds) of a plain GET that reads
    the whole answer and never opens the websocket."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read().decode("utf-8", "replace")
    found = KERNEL_ID_HTML.search(body)
    return status, found.group(1) if found else None, time.perf_counter() - t0


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything measured so far (a figure not measured is missing, never invented)."""

    runs: int
    viewers: int
    timeout: float
    times: dict[str, list[float]] = field(default_factory=dict)  # "dashboard/cold": [s, ...]
    mib: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    closed_gone: dict[str, float | None] = field(default_factory=dict)
    get_gone: dict[str, float | None] = field(default_factory=dict)
    crowd: dict[str, list[Visit]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # the 1-minute load average, start and end


def _kernel_cost(server: VoilaServer, kernel_id: str, figures: Figures, name: str) -> None:
    process = server.kernel(kernel_id)
    if process is None or not _quiet(process):
        figures.notes.append(f"{name}: kernel {kernel_id[:8]} ended or never idle, not measured")
        return
    mib, cpu = _mib(process), _cpu_seconds(process)
    if mib is not None and cpu is not None:
        figures.mib.setdefault(name, []).append(mib)
        figures.cpu.setdefault(name, []).append(cpu)


def _get_gone(server: VoilaServer, figures: Figures, name: str) -> None:
    status, kernel_id, _took = plain_get(server.url, figures.timeout)
    if kernel_id is None:
        figures.notes.append(f"{name}: a plain GET answered {status} naming no kernel")
        return
    figures.get_gone[name] = server.wait_gone(kernel_id)


async def _views(browser, figures: Figures, name: str, notebook: Path, side: Path, db_url, mode):
    preheat = mode == "preheated"
    server = await asyncio.to_thread(VoilaServer, notebook, side, db_url, preheat)
    expected, seen = (1 if preheat else 0), set()
    try:
        await asyncio.to_thread(server.wait_idle, expected)
        for run in range(figures.runs):
            context = await browser.new_context(viewport=VIEWPORT)
            try:
                v, page = await visit(context, server.url, SELECTORS[name], figures.timeout)
                if v.outcome != "content":
                    figures.notes.append(f"{name}, {mode} view {run + 1}: {_outcome(v)}")
                else:
                    figures.times.setdefault(f"{name}/{mode}", []).append(v.seconds)
                    seen.add(v.kernel_id)
                    if mode == "cold":
                        await asyncio.to_thread(_kernel_cost, server, v.kernel_id, figures, name)
                await close_page(page)
                if mode == "cold" and run == 0 and v.kernel_id:
                    figures.closed_gone[name] = await asyncio.to_thread(
                        server.wait_gone, v.kernel_id
                    )
            finally:
                await context.close()
            await asyncio.to_thread(server.wait_idle, expected, 180, seen)
        if mode == "cold":
            await asyncio.to_thread(_get_gone, server, figures, name)
    finally:
        await asyncio.to_thread(server.stop)


async def _crowd(browser, figures: Figures, name: str, notebook: Path, side: Path, db_url, _mode):
    server = await asyncio.to_thread(VoilaServer, notebook, side, db_url, None)
    try:
        await asyncio.to_thread(server.wait_idle, 1 if preheats() else 0)
        visits, contexts = await open_viewers(
            browser, server.url, SELECTORS[name], figures.viewers, figures.timeout
        )
        figures.crowd[name] = visits
        await close_contexts(contexts)
    finally:
        await asyncio.to_thread(server.stop)


async def _measure(figures: Figures, notebooks: dict[str, Path], tmp: Path, db_url: str):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for mode in ("cold", "preheated", "viewers"):
                for name in PAGES:
                    step, side = (_crowd if mode == "viewers" else _views), tmp / f"{name}-{mode}"
                    try:
                        await step(browser, figures, name, notebooks[name], side, db_url, mode)
                    except Exception as exc:  # noted; the other figures are still measured
                        figures.notes.append(
                            f"{name}, {mode}: stopped: {type(exc).__name__}: {exc}"
                        )
        finally:
            await browser.close()


def _write_minimal(folder: Path) -> Path:
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(MINIMAL)])
    nb.metadata["kernelspec"] = dict(name="python3", display_name="Python 3", language="python")
    nbformat.write(nb, folder / "minimal.ipynb")
    return folder / "minimal.ipynb"


# -- the report ------------------------------------------------------------------------------


def _median(values) -> float | None:
    return statistics.median(values) if values else None


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def _outcome(v: Visit) -> str:
    what = {"busy": "HTTP 503 (busy)", "refused": f"HTTP {v.status}"}.get(v.outcome, v.outcome)
    return f"{what} after {v.seconds:.1f} s" + (f" ({v.detail})" if v.detail else "")


def _row(label: str, d: str, m: str, ratio: str = "", target: str = "", verdict: str = "") -> str:
    return f"{label:<44}{d:>10}{m:>10}{ratio:>8}  {target:<24}{verdict}".rstrip()


def _compare(label: str, values: dict, target=None, digits: int = 2) -> str:
    """One row: the dashboard's figure, the minimal notebook's, their ratio, and the target
    (its text, and its test of the dashboard's figure d against the minimal's m) with its
    verdict."""
    d, m = values.get("dashboard"), values.get("minimal")
    ratio = f"{d / m:.2f}x" if d is not None and m else "-"
    text, test = target or ("", None)
    verdict = "" if test is None else _verdict(None if d is None else test(d, m))
    return _row(label, _num(d, digits), _num(m, digits), ratio, text, verdict)


def _gone(figures: dict[str, float | None], name: str) -> str:
    seconds = figures.get(name)
    return (
        f"{seconds:.1f}"
        if seconds is not None
        else (f">{GONE_WAIT:.0f}" if name in figures else "-")
    )


def _crowd_rows(figures: Figures) -> list[str]:
    crowd = figures.crowd
    served = {
        n: sorted(v.seconds for v in crowd.get(n, []) if v.outcome == "content") for n in PAGES
    }
    count = {n: f"{len(served[n])}/{len(crowd[n])}" if n in crowd else "-" for n in PAGES}
    asked = len(crowd.get("dashboard", []))  # the target is for 20 viewers or more
    all_served = len(served["dashboard"]) == asked if asked >= TARGET_VIEWERS else None
    target = (f"< {TARGET_MEDIAN:.0f} s, all served", lambda d, m: all_served and d < TARGET_MEDIAN)
    served_text = f"all of {TARGET_VIEWERS} served"
    rows = [
        _row(
            "reached content",
            count["dashboard"],
            count["minimal"],
            "",
            served_text,
            _verdict(all_served),
        ),
        _compare(
            "median time to content (s, of those served)",
            {n: _median(served[n]) for n in PAGES},
            target,
        ),
        _compare(
            "longest time to content (s, of those served)",
            {n: max(served[n], default=None) for n in PAGES},
        ),
    ]
    missed: dict[tuple, list[float]] = {}  # (page, outcome, status, detail): seconds
    for name in PAGES:
        for v in crowd.get(name, []):
            if v.outcome != "content":
                missed.setdefault((name, v.outcome, v.status, v.detail), []).append(v.seconds)
    return rows + [
        f"  {key[0]}: {len(t)} not served: {_outcome(Visit(key[1], min(t), key[2], None, key[3]))}"
        for key, t in missed.items()
    ]


def report(figures: Figures) -> str:
    """The figures as text: each of the dashboard's beside the minimal notebook's, their
    ratio, the issue's target and PASS/FAIL ("-" where a figure was not measured)."""
    runs = f"median of {figures.runs}"
    rows = (  # (label, figures by page, target, digits)
        (f"cold time to content (s, {runs})", "times", "{}/cold", TARGETS["cold"], 2),
        (f"preheated time to content (s, {runs})", "times", "{}/preheated", None, 2),
        ("visit's kernel memory (RSS, MiB)", "mib", "{}", TARGETS["mib"], 0),
        ("visit's kernel CPU (user+system, s)", "cpu", "{}", TARGETS["cpu"], 2),
    )
    lines = [
        "Dashboard benchmark: each page served alone by Voilà (single-notebook mode, the page"
        f" at /) with the repository's voila.json; the demo inspection; {os.cpu_count()} cores,"
        f" load average {' then '.join(f'{x:.1f}' for x in figures.load)}",
        _row("", "dashboard", "minimal", "ratio", "target"),
    ]
    for label, attr, key, target, digits in rows:
        values = {n: _median(getattr(figures, attr).get(key.format(n))) for n in PAGES}
        lines.append(_compare(label, values, target, digits))
    lines += [
        _row(
            "closed page's kernel gone after (s)", *(_gone(figures.closed_gone, n) for n in PAGES)
        ),
        _row("plain GET's kernel gone after (s)", *(_gone(figures.get_gone, n) for n in PAGES)),
        f"{figures.viewers} concurrent viewers, one server per page (the committed voila.json):"
        f" {figures.viewers} browser contexts in one headless Chromium, opened at once, each"
        f" waiting up to {figures.timeout:.0f} s",
        *_crowd_rows(figures),
    ]
    return "\n".join(lines + [f"note: {n}" for n in figures.notes])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.bench dashboard", description=__doc__.splitlines()[0]
    )
    options = (
        ("--runs", int, 3, "page views per page and mode (median printed)"),
        ("--viewers", int, TARGET_VIEWERS, "concurrent viewers per page"),
        ("--timeout", float, 300, "seconds a view waits for its content"),
    )
    for flag, kind, default, text in options:
        parser.add_argument(flag, type=kind, default=default, help=text)
    args = parser.parse_args(argv)

    from ..app.dashboard import DASHBOARD_NOTEBOOK
    from ..demo import ensure_demo
    from ..store import open_store

    figures = Figures(args.runs, args.viewers, args.timeout, load=[os.getloadavg()[0]])
    tmp = Path(tempfile.mkdtemp(prefix="workbook-bench-dashboard-"))
    try:
        db_url = f"sqlite:///{tmp / 'demo.db'}"
        store = open_store(db_url)
        ensure_demo(store)
        store.close()
        notebooks = {"dashboard": DASHBOARD_NOTEBOOK, "minimal": _write_minimal(tmp / "minimal")}
        asyncio.run(_measure(figures, notebooks, tmp, db_url))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        figures.load.append(os.getloadavg()[0])
        print(report(figures))
        print(json.dumps(asdict(figures)))
    return 0
