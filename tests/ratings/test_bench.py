"""The benchmarks finish and print every figure: the ratings benchmark in every string storage,
the dashboard benchmark when kernels end (or are not yet listed) while it measures them."""

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from workbook.bench import ratings as ratings_bench
from workbook.bench.dashboard import VoilaServer, _cmdline, _find, _mib, _pids


def test_the_ratings_benchmark_prints_every_storage_against_its_baseline(capsys):
    assert ratings_bench.main(["--cases", "200", "--repeat", "1", "--updates", "5"]) == 0
    out = capsys.readouterr().out
    for storage in ("object", "python", "pyarrow"):
        line = next(x for x in out.splitlines() if x.strip().startswith(f"{storage} "))
        assert "baseline" in line and "target 1.5x" in line, line


def test_a_kernel_that_has_ended_is_not_found_and_has_no_memory():
    child = subprocess.Popen([sys.executable, "-c", "pass", "ipykernel", "kernel-1"])
    process = psutil.Process(child.pid)
    child.wait()
    assert _find([process], "kernel-1") is None
    assert _mib(process) is None
    assert _mib(None) is None
    assert _pids([None, process]) == {child.pid}


@pytest.fixture
def churning_server():
    """A real parent process whose "kernels" start and end every few milliseconds."""
    script = (
        "i=0; while [ $i -lt 300 ]; do "
        'sh -c "sleep 0.03" ipykernel kernel-$i & i=$((i+1)); sleep 0.01; done; wait'
    )
    parent = subprocess.Popen(["sh", "-c", script], start_new_session=True)
    server = VoilaServer.__new__(VoilaServer)  # only the process is needed to list kernels
    server.process = parent
    yield server
    try:
        os.killpg(parent.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    parent.wait()


def test_kernel_lookups_survive_kernels_coming_and_going(churning_server):
    server = churning_server
    deadline = time.monotonic() + 2
    seen = 0
    while time.monotonic() < deadline:
        kernels = server.kernels()
        seen = max(seen, len(kernels))
        assert server.kernel("not-listed-yet") is None
        for k in kernels:
            _mib(server.kernel(_cmdline(k).rsplit(" ", 1)[-1] or "ended"))
        _pids(kernels + [server.kernel("not-listed-yet")])
    server.wait_idle(timeout=1)
    assert seen > 0
