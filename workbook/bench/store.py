"""``python -m workbook.bench store``: how fast the judgement store saves and loads.

Prints saves per second for one writer and for 8 concurrent writers (separate processes), on
SQLite and on a throwaway PostgreSQL server, and the time to load every judgement of a
10,000-case inspection and of 1,000,000 judgements.

Colleagues' saves, live (``--part live``): the idle change check's cost beside a ``SELECT 1``
round trip, and a save's time to the ratings updated in a ``follower`` process (see
:func:`bench_live`).

Also home of :func:`start_postgres` (used by the tests' ``tests/pg_server.py``) and of the
``writer`` sub-command the concurrency and crash tests run in separate processes.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TARGETS = {
    "sqlite_8": 500,
    "postgresql_8": 1000,
    "load_1m_s": 3.0,
    "idle_check_ms": 1.0,
    "live_s": 3.0,
}
REPO = Path(__file__).resolve().parents[2]

# -- a throwaway PostgreSQL server -------------------------------------------------------------


def _pg_bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise RuntimeError(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: apt-get install -y postgresql"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    root: Path
    port: int
    bindir: Path
    as_postgres: bool
    data: Path | None = None

    def _run(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        cmd = (["runuser", "-u", "postgres", "--"] if self.as_postgres else []) + args
        return subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str) -> None:
        out = self._run(
            [
                str(self.bindir / "psql"),
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement,
            ]
        )
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {out.stderr.strip()}")

    def create_database(self, name: str) -> str:
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
            ]
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(root: Path | str | None = None, fsync: bool = True) -> PostgresServer:
    """Start a PostgreSQL server in ``root`` (a new folder; default: a temporary one) listening
    on 127.0.0.1 on a free port, with trust authentication for the user ``postgres``.

    As root the server runs as the ``postgres`` user, so every parent of ``root`` must be
    traversable by it (this function grants that on the folder it is given). Raises
    RuntimeError with the server's log when it cannot start."""
    bindir = _pg_bindir()
    as_postgres = os.geteuid() == 0
    root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="workbook-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    if as_postgres:
        os.chmod(root, 0o711)
        shutil.chown(root, "postgres", "postgres")
    server = PostgresServer(root, 0, bindir, as_postgres)
    for attempt in range(3):  # a busy shared machine has made initdb stumble once: try afresh
        server.data = root / f"data{attempt}"
        out = server._run(
            [
                str(bindir / "initdb"),
                "-D",
                str(server.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if out.returncode == 0:
            break
    else:
        raise RuntimeError(f"initdb failed in {root}: {out.stderr.strip() or out.stdout.strip()}")
    options = f"-k {root} -c listen_addresses=127.0.0.1 -c max_connections=200" + (
        "" if fsync else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    last = ""
    for _ in range(5):
        server.port = _free_port()
        out = server._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(server.data),
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                f"{options} -p {server.port}",
            ]
        )
        if out.returncode == 0:
            return server
        log = root / "server.log"
        last = (log.read_text(errors="replace")[-2000:] if log.exists() else "") or out.stderr
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start: {last.strip()}")


# -- writers in separate processes --------------------------------------------------------------


def run_writer(
    url: str,
    inspection: str,
    worker: int,
    count: int,
    seed: int,
    keys: int,
    start_at: float | None,
    sleep: float = 0.0,
) -> int:
    """Save ``count`` judgements, printing one line per committed save:
    ``SAVED case question answer version`` (or ``SAME ...`` when nothing changed).
    Keys are drawn from the first ``keys`` (case, key question) pairs, so writers overlap."""
    from workbook.store import open_store

    store = open_store(url)
    fw = store.framework(inspection)
    cases = store.cases(inspection)["case_id"].tolist()
    pairs = [(c, q) for c in cases for q in (k.id for k in fw.rated_key_questions)][:keys]
    rng = random.Random(seed)
    if start_at:
        time.sleep(max(0.0, start_at - time.time()))
    began = time.time()
    out = sys.stdout
    for _ in range(count):
        case_id, question = rng.choice(pairs)
        answer = rng.choice(("yes", "no"))
        result = store.save_judgement(
            inspection, case_id, question, answer, f"writer-{worker}", note=f"w{worker}"
        )
        word = "SAVED" if result.changed else "SAME"
        out.write(f"{word} {case_id} {question} {answer} {result.judgement.version}\n")
        out.flush()
        if sleep:
            time.sleep(sleep)
    out.write(f"TIME {began} {time.time()}\n")
    out.flush()
    store.close()
    return 0


def writer_command(
    url: str,
    inspection: str,
    worker: int,
    count: int,
    seed: int,
    keys: int,
    start_at: float | None = None,
    sleep: float = 0.0,
) -> list[str]:
    """The command line that runs :func:`run_writer` in a new process."""
    cmd = [
        sys.executable,
        "-m",
        "workbook.bench",
        "store",
        "writer",
        "--db",
        url,
        "--inspection",
        inspection,
        "--worker",
        str(worker),
        "--count",
        str(count),
        "--seed",
        str(seed),
        "--keys",
        str(keys),
        "--sleep",
        str(sleep),
    ]
    if start_at:
        cmd += ["--start-at", repr(start_at)]
    return cmd


def writer_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


# -- the benchmark -------------------------------------------------------------------------------


def _set_up(url: str, name: str, n_cases: int):
    import pandas as pd

    from workbook.store import open_store

    store = open_store(url)
    store.create_inspection(name, "hmip-2018-crc", provider="Benchmark")
    ldus = ["North", "South", "East", "West"]
    cases = pd.DataFrame(
        {
            "case_id": [f"C{i:06d}" for i in range(n_cases)],
            "sample": "case_supervision",
            "ldu": [ldus[i % 4] for i in range(n_cases)],
        }
    )
    store.import_cases(name, cases)
    return store


def _writers(url: str, name: str, n_writers: int, per_writer: int, keys: int) -> float:
    start_at = time.time() + 4.0
    procs = [
        subprocess.Popen(
            writer_command(url, name, w, per_writer, 1000 + w, keys, start_at),
            stdout=subprocess.PIPE,
            text=True,
            env=writer_env(),
            cwd=REPO,
        )
        for w in range(n_writers)
    ]
    spans = []
    for p in procs:
        out, _ = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"a writer failed with status {p.returncode}")
        line = [x for x in out.splitlines() if x.startswith("TIME ")][-1]
        spans.append(tuple(float(v) for v in line.split()[1:]))
    elapsed = max(e for _, e in spans) - min(b for b, _ in spans)
    return n_writers * per_writer / elapsed


def _load_time(store, name: str, n_cases: int) -> tuple[int, float]:
    from workbook.files import load_framework

    fw = load_framework("hmip-2018-crc")
    rng = random.Random(7)
    rows = [
        (f"C{i:06d}", q.id, "yes" if rng.random() < 0.7 else "no")
        for i in range(n_cases)
        for q in fw.rated_key_questions
    ]
    store.bulk_load_judgements(name, rows)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        frame = store.judgements(name)
        best = min(best, time.perf_counter() - t0)
    return len(frame), best


def bench_backend(label: str, url: str, args) -> dict[str, float]:
    figures: dict[str, float] = {}
    store = _set_up(url, "bench-saves", 100)
    t0 = time.perf_counter()
    for i in range(args.saves):
        store.save_judgement(
            "bench-saves",
            f"C{i % 100:06d}",
            "2.1.1" if i % 2 else "2.1.2",
            "yes" if (i // 200) % 2 else "no",
            "bench",
        )
    figures["one writer, saves/s"] = args.saves / (time.perf_counter() - t0)
    figures["8 writers, saves/s"] = _writers(url, "bench-saves", 8, args.per_writer, 1900)
    print(
        f"{label}: one writer {figures['one writer, saves/s']:,.0f} saves/s; 8 writers {figures['8 writers, saves/s']:,.0f} saves/s",
        flush=True,
    )
    for name, n_cases in (("bench-10k", 10_000), ("bench-1m", args.million_cases)):
        _set_up(url, name, n_cases).close()
        n, seconds = _load_time(store, name, n_cases)
        figures[f"load {n:,} judgements ({n_cases:,} cases), s"] = seconds
        print(
            f"{label}: loading {n:,} judgements of {n_cases:,} cases: {seconds:.2f} s", flush=True
        )
    store.close()
    return figures


# -- colleagues' saves, live ---------------------------------------------------------------------


def run_follower(url: str, inspection: str, count: int, interval: float) -> int:
    """Follow ``inspection`` as the board does and print ``UPDATED <note> <time>`` once the
    ratings have taken in each saved judgement (the saver's note names the save)."""
    import asyncio

    from workbook.ratings import update_ratings
    from workbook.store import open_store
    from workbook.store.reading import load_rated
    from workbook.ui.inspect.live import LiveFollower

    store = open_store(url)
    rated = load_rated(store, inspection)
    j = rated.judgements
    answers = dict(zip(zip(j["case_id"], j["question"], strict=True), j["answer"], strict=True))
    state = {"ratings": rated.ratings, "seen": 0}

    async def follow() -> None:
        done = asyncio.get_running_loop().create_future()
        follower = LiveFollower.open(store, inspection, interval=interval)

        def take(entries) -> None:
            for e in (e for e in entries if e.entity == "judgement"):
                change = (e.case_id, e.question, answers.get((e.case_id, e.question)), e.new)
                state["ratings"] = update_ratings(rated.framework, state["ratings"], *change)
                answers[(e.case_id, e.question)] = e.new
                print(f"UPDATED {e.new_note} {time.time()!r}", flush=True)
                state["seen"] += 1
            if state["seen"] >= count and not done.done():
                done.set_result(None)

        follower.on_change(take)
        follower.start()
        print("READY", flush=True)
        await done
        follower.close()

    asyncio.run(follow())
    store.close()
    return 0


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return tuple(ordered[round(q * (len(ordered) - 1))] for q in (0.50, 0.95))


def _timed_ms(call, n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        call()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return _percentiles(times)


def _lines_of(proc: subprocess.Popen) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            lines.put(line.strip())
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _next_line(lines: queue.Queue, want: str) -> str:
    line = lines.get(timeout=30)
    if line is None or not line.startswith(want):
        raise RuntimeError(f"the follower said {line!r}, not {want}...")
    return line


def _live_latency(store, url: str, name: str, saves: int, interval: float):
    """(save-to-ratings latencies, save durations) in seconds."""
    cmd = [sys.executable, "-m", "workbook.bench", "store", "follower", "--db", url]
    cmd += ["--inspection", name, "--count", str(saves), "--interval", str(interval)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=writer_env(), cwd=REPO)
    lines = _lines_of(proc)
    questions = [q.id for q in store.framework(name).rated_key_questions]
    rng = random.Random(3)
    latencies, durations = [], []
    try:
        _next_line(lines, "READY")
        for i in range(saves):
            time.sleep(rng.uniform(0.05, 0.3))  # any phase of the follower's polls
            case, question = f"C{i % 100:06d}", questions[(i // 100) % len(questions)]
            t0 = time.time()
            store.save_judgement(name, case, question, "yes", "bench-live", note=f"s{i}")
            durations.append(time.time() - t0)
            _, note, at = _next_line(lines, "UPDATED").split()
            if note != f"s{i}":
                raise RuntimeError(f"the follower took in {note} for s{i}")
            latencies.append(float(at) - t0)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return latencies, durations


def bench_live(label: str, url: str, args) -> dict[str, float]:
    """The change check's cost when idle (:class:`~workbook.store.changes.ChangeFeed`, p50 and
    p95 of 1,000 calls) beside a plain ``SELECT 1`` and the ``last_change`` query; the time
    from a save here to the ratings updated in a ``follower`` process (a
    :class:`~workbook.ui.inspect.live.LiveFollower` polling every 0.5 s as the board does, then
    :func:`workbook.ratings.update_ratings`; p50 and p95 of 30 saves) beside the save itself."""
    from workbook.store.changes import ChangeFeed

    name = "bench-live"
    store = _set_up(url, name, 1000)
    questions = [q.id for q in store.framework(name).rated_key_questions]
    rng = random.Random(5)
    rows = [
        (f"C{i:06d}", q, rng.choice(("yes", "no"))) for i in range(100, 1000) for q in questions
    ]
    store.bulk_load_judgements(name, rows)  # the first 100 cases are left for the saves
    with ChangeFeed(store, name) as feed:
        idle = _timed_ms(feed.changed, 1000)
    with store._engine.connect() as conn:
        select_1 = _timed_ms(lambda: conn.exec_driver_sql("SELECT 1").scalar(), 1000)
    last_change = _timed_ms(lambda: store.last_change(name), 1000)
    figures = {"idle check p50, ms": idle[0], "idle check p95, ms": idle[1]}
    figures.update({"SELECT 1 p50, ms": select_1[0], "last_change query p50, ms": last_change[0]})
    print(
        f"{label}: idle change check p50 {figures['idle check p50, ms']:.4f} ms, "
        f"p95 {figures['idle check p95, ms']:.4f} ms (baseline: SELECT 1 round trip p50 "
        f"{select_1[0]:.4f} ms, p95 {select_1[1]:.4f} ms; last_change query p50 "
        f"{last_change[0]:.3f} ms)",
        flush=True,
    )
    latencies, durations = _live_latency(store, url, name, args.live_saves, 0.5)
    lat, took = _percentiles(latencies), _percentiles(durations)
    figures["save to ratings elsewhere p50, s"], figures["save to ratings elsewhere p95, s"] = lat
    figures["the save itself p50, ms"] = took[0] * 1000
    print(
        f"{label}: a save to the ratings updated in another process (polling every 0.5 s): "
        f"p50 {lat[0]:.3f} s, p95 {lat[1]:.3f} s over {len(latencies)} saves (baseline: the "
        f"save itself p50 {took[0] * 1000:.1f} ms, p95 {took[1] * 1000:.1f} ms)",
        flush=True,
    )
    store.close()
    return figures


def _run_backend(label: str, url: str, args) -> dict[str, float]:
    figures: dict[str, float] = {}
    if args.part in ("all", "saves"):
        figures.update(bench_backend(label, url, args))
    if args.part in ("all", "live"):
        figures.update(bench_live(label, url, args))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbook.bench store")
    sub = parser.add_subparsers(dest="what")
    w = sub.add_parser(
        "writer", help="(for tests) save judgements in this process and print each committed save"
    )
    w.add_argument("--db", required=True)
    w.add_argument("--inspection", required=True)
    w.add_argument("--worker", type=int, default=0)
    w.add_argument("--count", type=int, default=250)
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("--keys", type=int, default=100)
    w.add_argument("--start-at", type=float, default=None)
    w.add_argument("--sleep", type=float, default=0.0)
    f = sub.add_parser("follower", help="(for the live part) follow an inspection's saves")
    f.add_argument("--db", required=True)
    f.add_argument("--inspection", required=True)
    f.add_argument("--count", type=int, required=True)
    f.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--saves", type=int, default=1000, help="saves by the single writer")
    parser.add_argument(
        "--per-writer", type=int, default=250, help="saves by each of the 8 writers"
    )
    parser.add_argument(
        "--million-cases",
        type=int,
        default=52_632,
        help="cases for the 1,000,000-judgement load (19 key questions each)",
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--part",
        choices=("all", "saves", "live"),
        default="all",
        help="saves and loads, colleagues' saves live, or both",
    )
    parser.add_argument("--live-saves", type=int, default=30, help="saves timed to a follower")
    args = parser.parse_args(argv)
    if args.what == "follower":
        return run_follower(args.db, args.inspection, args.count, args.interval)
    if args.what == "writer":
        return run_writer(
            args.db,
            args.inspection,
            args.worker,
            args.count,
            args.seed,
            args.keys,
            args.start_at,
            args.sleep,
        )

    results = {}
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            results["SQLite"] = _run_backend("SQLite", f"sqlite:///{tmp}/bench.db", args)
        if args.backend in ("postgresql", "both"):
            server = start_postgres()
            try:
                results["PostgreSQL"] = _run_backend(
                    "PostgreSQL", server.create_database("bench"), args
                )
            finally:
                server.stop()
    print()
    print(f"{'backend':<11} {'figure':<48} {'value':>12}")
    for backend, figures in results.items():
        for what, value in figures.items():
            print(f"{backend:<11} {what:<48} {value:>12,.{4 if value < 1 else 2}f}")
    print(
        f"targets: >= {TARGETS['sqlite_8']} saves/s with 8 writers on SQLite, >= {TARGETS['postgresql_8']} on PostgreSQL, 1,000,000 judgements loaded in < {TARGETS['load_1m_s']} s"
        f"; an idle change check < {TARGETS['idle_check_ms']} ms, a colleague's save on the"
        f" board within {TARGETS['live_s']} s"
    )
    return 0
