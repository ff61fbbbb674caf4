"""The store's commands (``init``, ``import-sample``, ``judge``, ``history``, ``export``,
``import``, ``rate --inspection``) on real SQLite and real PostgreSQL; and when the file system
or the URL is the problem: exit 2 with a message naming the path or URL, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbook.cli import main
from workbook.cli import main as cli_main
from workbook.store import open_store

from ..store.sample import NAME

ROOT = Path(__file__).resolve().parents[2]


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


def test_cli_judge_history_export_import(store, store_url, other_url, tmp_path, capsys):
    assert cli_main(["init", "--db", store_url]) == 0
    assert "store ready" in capsys.readouterr().out
    assert (
        cli_main(
            [
                "judge",
                NAME,
                "C001",
                "2.1.1",
                "yes",
                "--inspector",
                "inspector-1",
                "--note",
                "ok",
                "--db",
                store_url,
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == "1"
    assert (
        cli_main(
            [
                "judge",
                NAME,
                "C001",
                "2.1.1",
                "no",
                "--inspector",
                "inspector-2",
                "--expect-version",
                "1",
                "--db",
                store_url,
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == "2"
    assert (
        cli_main(
            [
                "judge",
                NAME,
                "C001",
                "2.1.1",
                "yes",
                "--inspector",
                "inspector-1",
                "--expect-version",
                "1",
                "--db",
                store_url,
            ]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "conflict" in err and "inspector-2" in err
    assert (
        cli_main(
            ["judge", NAME, "C001", "7.7.7", "yes", "--inspector", "inspector-1", "--db", store_url]
        )
        == 2
    )
    assert "7.7.7" in capsys.readouterr().err
    assert cli_main(["history", NAME, "--case", "C001", "--db", store_url]) == 0
    out = capsys.readouterr().out
    assert "yes -> no" in out and "inspector-2" in out
    assert cli_main(["export", NAME, "--out", str(tmp_path / "exp"), "--db", store_url]) == 0
    assert cli_main(["import", str(tmp_path / "exp"), "--db", other_url]) == 0
    copy = open_store(other_url)
    assert copy.history(NAME) == store.history(NAME)
    copy.close()
    (tmp_path / "exp" / "cases.csv").write_text("case_id\nC001\n")
    assert (
        cli_main(["import", str(tmp_path / "exp"), "--db", f"sqlite:///{tmp_path / 'third.db'}"])
        == 2
    )
    assert "checksum" in capsys.readouterr().err


def test_cli_defaults_to_the_workbook_db_setting(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("WORKBOOK_DB", url)
    assert cli_main(["init"]) == 0
    assert "from-env.db" in capsys.readouterr().out
    assert (tmp_path / "from-env.db").exists()


def test_cli_import_sample_twice_changes_nothing_then_rates(store_url, capsys):
    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "valid.csv"
    args = [
        "import-sample",
        str(sample),
        "--inspection",
        "cli-2019",
        "--provider",
        "Warwickshire and West Mercia",
        "--db",
        store_url,
    ]
    assert cli_main(args + ["--inspector", "lead"]) == 0
    out = capsys.readouterr().out
    assert "created inspection 'cli-2019'" in out and "30 cases added" in out
    assert cli_main(args) == 0
    assert "0 cases added, 30 unchanged" in capsys.readouterr().out
    s = open_store(store_url)
    before = s.history("cli-2019")
    assert s.inspection("cli-2019").provider == "Warwickshire and West Mercia"
    cases = s.cases("cli-2019")
    assert len(cases) == 30 and {"case_id", "sample", "ldu", "gender"} <= set(cases.columns)
    for i, case_id in enumerate(cases["case_id"][:10]):
        s.save_judgement("cli-2019", case_id, "2.1.1", "yes" if i % 3 else "no", "inspector-1")
    s.close()
    assert len(before) == 31  # the inspection and its 30 cases, once
    assert cli_main(["rate", "--inspection", "cli-2019", "--by", "ldu", "--db", store_url]) == 0
    assert "2.1.1" in capsys.readouterr().out


def _corrupt_demo(url: str) -> None:
    import sqlite3

    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    con.execute(
        "UPDATE judgements SET answer = 'not_applicablf' WHERE id = (SELECT min(id) FROM judgements)"
    )
    con.commit()
    con.close()


def test_rate_inspection_with_a_corrupted_answer_exits_2_naming_the_row(demo_db, capsys):
    _corrupt_demo(demo_db)
    assert main(["rate", "--inspection", "demo-wwm-2019", "--db", demo_db]) == 2
    err = capsys.readouterr().err
    assert "bad_stored_value" in err or "not_applicablf" in err
    assert "key question" in err and "case" in err and "Traceback" not in err


def test_export_of_a_corrupted_store_exits_2_and_writes_nothing(demo_db, tmp_path, capsys):
    _corrupt_demo(demo_db)
    out = tmp_path / "out"
    assert main(["export", "demo-wwm-2019", "--out", str(out), "--db", demo_db]) == 2
    assert "not_applicablf" in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_name_is_refused_and_never_echoed_raw(tmp_path, capsys):
    sample = ROOT / "data" / "sample_cases.csv"
    if not sample.is_file():
        sample = next((ROOT / "data").rglob("*.csv"))
    db = f"sqlite:///{tmp_path / 'w.db'}"
    name = "evil\x1b[2J\x1b]0;pwned\x07../x"
    code = main(["import-sample", str(sample), "--inspection", name, "--db", db])
    captured = capsys.readouterr()
    assert code == 2
    assert "\x1b" not in captured.err + captured.out and "\x07" not in captured.err + captured.out
    assert "\\x1b" in captured.err
    code = main(["history", name, "--db", db])
    captured = capsys.readouterr()
    assert code == 2 and "\x1b" not in captured.err + captured.out


def test_judge_on_a_malformed_sqlite_store_exits_2_naming_the_file(demo_db, capsys):
    import sqlite3

    path = demo_db.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'judgements'").fetchone()[0]
    index = con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history' AND rootpage > 0"
    ).fetchone()[0]
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (root, index))
    con.commit()
    con.close()
    code = main(
        ["judge", "demo-wwm-2019", "X", "2.1.1", "yes", "--inspector", "a", "--db", demo_db]
    )
    err = capsys.readouterr().err
    assert code == 2 and "damaged" in err
    assert path in err and "Traceback" not in err


def test_judge_saves_under_the_settings_inspector_without_inspector(tmp_path, monkeypatch):
    """``judge`` without --inspector records WORKBOOK_INSPECTOR, as the team's commands do."""
    import pandas as pd

    from workbook.cli import main
    from workbook.store import open_store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    store.create_inspection(
        "judged",
        "hmip-2018-crc",
        cases=pd.DataFrame([{"case_id": "C1", "sample": "case_supervision"}]),
    )
    store.close()
    monkeypatch.setenv("WORKBOOK_INSPECTOR", "settings person")
    assert main(["judge", "judged", "C1", "2.1.1", "yes", "--db", url]) == 0
    store = open_store(url)
    assert store.case_judgements("judged", "C1")["2.1.1"].inspector == "settings person"
    store.close()
