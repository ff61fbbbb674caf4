"""``python -m workbook`` when the file system or the URL is the problem: exit 2 with a message
naming the path or URL, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbook.cli import main
from workbook.demo import ensure_demo
from workbook.store import open_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = open_store(url)
    try:
        ensure_demo(store)
    finally:
        store.close()
    return url


def test_export_under_a_file_exits_2_naming_the_folder(demo_db, tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = tmp_path / "afile" / "x"
    assert main(["export", "demo-wwm-2019", "--out", str(out), "--db", demo_db]) == 2
    err = capsys.readouterr().err
    assert "cannot_write_export" in err or str(out) in err
    assert str(out) in err and "Traceback" not in err


def test_export_as_a_process_prints_no_traceback(demo_db, tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbook",
            "export",
            "demo-wwm-2019",
            "--out",
            "afile/x",
            "--db",
            demo_db,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "afile/x" in done.stderr


def test_publish_under_a_file_exits_2_naming_the_folder(demo_db, tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = tmp_path / "afile" / "site"
    assert main(["publish", "demo-wwm-2019", "--out", str(out), "--db", demo_db]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "Traceback" not in err


def test_an_unexpected_os_error_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    import workbook.cli.store as cli_store

    def fails(args):
        raise PermissionError(13, "Permission denied", "/srv/shared/workbook.db")

    monkeypatch.setattr(cli_store, "run_history", fails)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["history", "x", "--db", url]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "/srv/shared/workbook.db" in err and "Permission denied" in err


def test_a_conflict_still_exits_3(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = open_store(url)
    try:
        store.create_inspection("i", "hmip-2018-crc", cases=_cases())
    finally:
        store.close()
    args = ["judge", "i", "C1", "2.1.1", "yes", "--inspector", "inspector-1", "--db", url]
    assert main(args) == 0
    assert main([*args, "--expect-version", "0"]) == 3


def _cases():
    import pandas as pd

    return pd.DataFrame({"case_id": ["C1"], "ldu": ["North"]})


@pytest.mark.parametrize("url", ["postgresql+psycopg2://reader:s3cret@localhost/db", "nonsense://"])
def test_a_bad_url_exits_2_without_the_password(url, capsys):
    assert main(["init", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "bad_url" in err or "not supported" in err or "driver" in err
    assert "s3cret" not in err and "postgresql+psycopg://" in err and "Traceback" not in err
