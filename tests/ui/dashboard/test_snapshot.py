"""The dashboard's snapshot file: written atomically, read only when it is whole and right."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from workbook.ui.dashboard.snapshot import (
    MAX_BYTES,
    SnapshotError,
    read_snapshot,
    snapshot_path,
    write_snapshot,
)

from .snapshots import NAME, small_snapshot


def test_the_file_name_is_a_digest_never_the_inspections_name(tmp_path):
    for name in ("../../etc/passwd", "a/b", "nul\x00name", "Midshire 2025"):
        path = snapshot_path(tmp_path, name)
        assert path.parent == tmp_path and path.name.startswith("dashboard-")
        assert "/" not in path.name[len("dashboard-") :] and "\x00" not in str(path)
    assert snapshot_path(tmp_path, "a") != snapshot_path(tmp_path, "b")
    assert snapshot_path(tmp_path, "a", "sqlite:///one.db") != snapshot_path(
        tmp_path, "a", "sqlite:///two.db"
    )


def test_a_snapshot_reads_back_as_written(tmp_path):
    snapshot = small_snapshot()
    path = write_snapshot(snapshot_path(tmp_path, NAME), snapshot)
    assert read_snapshot(path, NAME, 5) == snapshot
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda s: s.update(inspection="other"), "another inspection"),
        (lambda s: s.update(suppression=2), "threshold"),
        (lambda s: s.update(format=99), "version"),
        (lambda s: s.pop("annex"), "'annex'"),
        (lambda s: s["views"].pop("North"), "North"),
        (lambda s: s["statuses"]["South"].pop("2.2"), "'statuses' lacks the views of 'South'"),
        (lambda s: s.pop("style"), "'style'"),
        (lambda s: s.update(groups="North"), "groups"),
        (lambda s: s.update(standards=[["2.1"]]), "standards"),
    ],
)
def test_a_snapshot_that_is_not_this_one_is_refused_saying_why(tmp_path, change, why):
    snapshot = small_snapshot()
    change(snapshot)
    path = write_snapshot(snapshot_path(tmp_path, NAME), snapshot)
    with pytest.raises(SnapshotError, match=why):
        read_snapshot(path, NAME, 5)


def test_a_damaged_missing_or_huge_file_is_refused(tmp_path):
    path = snapshot_path(tmp_path, NAME)
    with pytest.raises(SnapshotError, match="no snapshot file"):
        read_snapshot(path, NAME, 5)
    text = json.dumps(small_snapshot())
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SnapshotError, match="cannot be read"):
        read_snapshot(path, NAME, 5)
    path.write_bytes(b"\xff\xfe not text")
    with pytest.raises(SnapshotError, match="cannot be read"):
        read_snapshot(path, NAME, 5)
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SnapshotError, match="larger than"):
        read_snapshot(path, NAME, 5)


def test_a_write_that_fails_half_way_leaves_the_old_snapshot_and_no_debris(tmp_path):
    """A file size limit (as a full disk would) stops the write: the old snapshot stays whole."""
    old = small_snapshot(token="1:1:1")
    path = write_snapshot(snapshot_path(tmp_path, NAME), old)
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from workbook.ui.dashboard.snapshot import write_snapshot\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "try:\n"
        "    write_snapshot(Path(sys.argv[1]), {'summary': 'x' * 100000})\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=os.environ
    )
    assert out.stdout.startswith("refused"), out.stderr
    assert read_snapshot(path, NAME, 5) == old
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
