"""``python -m workbook.bench site``: the static site under a crowd of readers.

In one run: the demo inspection is loaded into a temporary store and published into a
temporary folder (``python -m workbook publish``'s own code), ``python -m http.server --bind
127.0.0.1`` serves that folder (a subprocess, as anyone can run it), and ``--clients`` readers
(default 200, all at once, asyncio, one connection per request) each fetch the page and its
script ``--requests`` times. The same load on a tiny file from the same server is the baseline,
measured in the same run, alternating with the page for ``--rounds`` rounds. It prints, for
the page, its script and the tiny file: p50, p95 and the slowest request, and requests (and
MB) per second; the page's p50 and p95 as multiples of the baseline's; the page's size; and
every failed or incomplete response (there should be none).

:func:`run_load` and :func:`serve` are plain functions for the tests too.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TINY = "tiny.txt"
HOST = "127.0.0.1"

Check = Callable[[str, bytes], "str | None"]  # (path, body) -> what is wrong, or None


@dataclass
class Load:
    """What a load gave: seconds per request by path, the problems, the wall-clock time."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    wall: float = 0.0
    received: int = 0  # bytes of the bodies

    def requests(self) -> int:
        return sum(len(v) for v in self.seconds.values())

    def add(self, other: Load) -> None:
        for path, values in other.seconds.items():
            self.seconds.setdefault(path, []).extend(values)
        self.problems.extend(other.problems)
        self.wall += other.wall
        self.received += other.received


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) of ``values``, nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# -- the readers -------------------------------------------------------------------------------


async def fetch(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    """GET ``path`` from 127.0.0.1:``port`` on a new connection; (status, body). The body is
    checked against the Content-Length the server sent."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        data = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    for line in lines[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-length" and int(value) != len(body):
            raise ConnectionError(f"{path}: {len(body)} of {int(value)} bytes received")
    return status, body


async def _reader(port, paths, requests, timeout, check, load: Load) -> None:
    for _ in range(requests):
        for path in paths:
            t0 = time.perf_counter()
            try:
                status, body = await fetch(port, path, timeout)
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                load.problems.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            load.seconds.setdefault(path, []).append(time.perf_counter() - t0)
            load.received += len(body)
            problem = f"{path}: HTTP {status}" if status != 200 else check(path, body)
            if problem:
                load.problems.append(problem)


async def _crowd(port, paths, clients, requests, timeout, check) -> Load:
    load = Load()
    t0 = time.perf_counter()
    await asyncio.gather(
        *(_reader(port, paths, requests, timeout, check, load) for _ in range(clients))
    )
    load.wall = time.perf_counter() - t0
    return load


def run_load(
    port: int,
    paths: Sequence[str],
    clients: int = 200,
    requests: int = 1,
    timeout: float = 60.0,
    check: Check | None = None,
) -> Load:
    """``clients`` concurrent readers, each fetching every one of ``paths`` in turn,
    ``requests`` times, from the server on 127.0.0.1:``port``; ``check(path, body)`` says
    what is wrong with a body (default: nothing beyond HTTP 200 and a complete body)."""
    return asyncio.run(
        _crowd(port, list(paths), clients, requests, timeout, check or (lambda _p, _b: None))
    )


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# The same stdlib server with a listen backlog of ``backlog`` connections: ``python -m
# http.server`` keeps socketserver's 5, so a burst of new connections overflows the kernel's
# queue and the dropped ones wait for TCP's retransmissions (1, 3, 7, 15 s ...) or are reset;
# ordinary web servers keep hundreds (nginx and Apache 511).
WIDE_SERVER = """\
import functools, http.server, sys
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = int(sys.argv[3])
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
with Server(("127.0.0.1", int(sys.argv[1])), handler) as server:
    server.serve_forever()
"""


def server_argv(folder: Path, port: int, backlog: int | None = None) -> list[str]:
    """``python -m http.server PORT --bind 127.0.0.1 --directory FOLDER``, or with a listen
    backlog of ``backlog``, the same handler in the same stdlib server (:data:`WIDE_SERVER`)."""
    if backlog is None:
        return [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            HOST,
            "--directory",
            str(folder),
        ]
    return [sys.executable, "-c", WIDE_SERVER, str(port), str(folder), str(backlog)]


@contextmanager
def serve(folder: Path, backlog: int | None = None, timeout: float = 30.0):
    """Serve ``folder`` on 127.0.0.1 with :func:`server_argv` (a subprocess in its own session,
    its request log discarded); yields the port; stopped (SIGTERM, then SIGKILL) on exit."""
    port = free_port()
    process = subprocess.Popen(
        server_argv(folder, port, backlog),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until_serving(port, process, timeout)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until_serving(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"http.server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"http.server on port {port} not answering after {timeout:.0f} s")


# -- the benchmark -----------------------------------------------------------------------------


def publish_demo(folder: Path) -> tuple[Path, float]:
    """The demo inspection published into ``folder/site``; (page, seconds to publish)."""
    from ..app.publish import publish_dashboard
    from ..demo import DEMO_INSPECTION, ensure_demo
    from ..store import open_store

    url = f"sqlite:///{folder / 'workbook.db'}"
    store = open_store(url)
    try:
        ensure_demo(store)
    finally:
        store.close()
    t0 = time.perf_counter()
    page = publish_dashboard(DEMO_INSPECTION, folder / "site", url, suppress_below=5)
    return page, time.perf_counter() - t0


def complete_page(path: str, body: bytes) -> str | None:
    """What is wrong with a page body: not the whole page, or no overall rating."""
    if path.endswith(".html") and not (
        body.rstrip().endswith(b"</html>") and b'id="wb-overall"' in body
    ):
        return f"{path}: incomplete page ({len(body)} bytes)"
    return None


SERVERS = {
    "stock": ("python -m http.server, as shipped (listen backlog 5)", None),
    "backlog": ("the same stdlib server with a listen backlog of 1024", 1024),
}
PAGE_PATHS = ("/index.html", "/dashboard.js")


def measure(folder: Path, backlog: int | None, args) -> tuple[Load, Load]:
    """(baseline, site): the load on the tiny file and on the page with its script,
    alternating for ``args.rounds`` rounds on one server."""
    baseline, site = Load(), Load()
    with serve(folder, backlog) as port:
        for _ in range(args.rounds):
            baseline.add(run_load(port, ["/" + TINY], args.clients, args.requests, args.timeout))
            site.add(
                run_load(port, PAGE_PATHS, args.clients, args.requests, args.timeout, complete_page)
            )
    return baseline, site


def _row(label: str, seconds: list[float], load: Load) -> str:
    ms = [s * 1000 for s in seconds]
    rate = len(ms) / load.wall if load.wall else float("nan")
    return (
        f"  {label:<14}{len(ms):>9}{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}"
        f"{max(ms, default=float('nan')):>9.0f}{rate:>9.0f}"
    )


def report(label: str, baseline: Load, site: Load) -> list[str]:
    """Print one server's figures; return the problems seen."""
    tiny, html = baseline.seconds.get("/" + TINY, []), site.seconds.get(PAGE_PATHS[0], [])
    print(label)
    print(f"  {'':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'req/s':>9}")
    print(_row("tiny file", tiny, baseline))
    print(_row("page", html, site))
    print(_row("page's script", site.seconds.get(PAGE_PATHS[1], []), site))
    if tiny and html:
        print(
            f"  page / tiny file: p50 {percentile(html, 50) / percentile(tiny, 50):.1f} x, "
            f"p95 {percentile(html, 95) / percentile(tiny, 95):.1f} x; page phase "
            f"{site.received / site.wall / 1e6:.0f} MB/s"
        )
    problems = baseline.problems + site.problems
    kinds: dict[str, int] = {}
    for problem in problems:
        kind = problem.split(": ", 1)[-1].split(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"  failed or incomplete responses: {len(problems)}" + (f" ({summary})" if kinds else ""))
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.bench site", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent readers (200)")
    parser.add_argument(
        "--requests", type=int, default=5, help="times each reader fetches the page (5)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="baseline/page rounds (2)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds a request may take (30)"
    )
    parser.add_argument(
        "--server",
        choices=[*SERVERS, "both"],
        default="both",
        help="stock: python -m http.server; backlog: the same with a listen backlog of 1024",
    )
    args = parser.parse_args(argv)

    problems = []
    with tempfile.TemporaryDirectory(prefix="workbook-bench-site-") as tmp:
        page, publish_s = publish_demo(Path(tmp))
        (page.parent / TINY).write_bytes(b"ok\n")
        size, script = page.stat().st_size, (page.parent / PAGE_PATHS[1][1:]).stat().st_size
        print(
            f"Static site: the demo inspection published in {publish_s:.1f} s; the page is "
            f"{size} bytes ({size / 1024:.0f} KiB), its script {script} bytes"
        )
        print(
            f"{args.clients} concurrent readers on 127.0.0.1, each fetching {args.requests} times "
            f"(the page: the page then its script), {args.rounds} rounds alternating with the "
            f"tiny file; a new connection per request, {args.timeout:.0f} s timeout; times are of the requests that succeeded"
        )
        for key in SERVERS if args.server == "both" else [args.server]:
            label, backlog = SERVERS[key]
            baseline, site = measure(page.parent, backlog, args)
            found = report(label, baseline, site)
            problems.extend(found if backlog is not None else [])
    return 1 if problems else 0


__all__ = [
    "Load",
    "complete_page",
    "fetch",
    "percentile",
    "publish_demo",
    "run_load",
    "serve",
    "server_argv",
]
