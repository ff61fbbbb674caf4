"""``python -m workbook publish``: one-shot and ``--watch`` say the same about a bad start, and
a write that fails (a full disk, here a real file-size limit) names the file and leaves the
page already published, with no temporary file beside it."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from workbook.app.publish import PAGE, SCRIPT
from workbook.cli import main

NAME = "demo-wwm-2019"


@pytest.mark.parametrize(
    "problem", ["unknown inspection", "missing store", "bad url", "folder under a file"]
)
def test_watch_refuses_a_bad_start_as_the_one_shot_publish_does(problem, demo_db, tmp_path, capsys):
    name, url, out = NAME, demo_db, tmp_path / "site"
    if problem == "unknown inspection":
        name = "no such inspection"
    elif problem == "missing store":
        url = f"sqlite:///{tmp_path / 'nowhere.db'}"
    elif problem == "bad url":
        url = "mysql://someone@somewhere/db"
    else:
        (tmp_path / "a-file").write_text("not a folder")
        out = tmp_path / "a-file" / "site"
    args = ["publish", name, "--out", str(out), "--db", url]
    assert main(args) == 2
    once = capsys.readouterr()
    assert main([*args, "--watch", "--interval", "0.1"]) == 2
    watched = capsys.readouterr()
    assert watched.err == once.err and "nothing was done" in once.err
    assert watched.out == once.out == ""
    assert not (out / PAGE).exists()


@pytest.mark.parametrize("interval", ["0", "-1", "abc", "nan", "100000"])
def test_a_bad_interval_is_refused(interval, demo_db, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(
            [
                "publish",
                NAME,
                "--db",
                demo_db,
                "--out",
                str(tmp_path),
                "--watch",
                "--interval",
                interval,
            ]
        )
    assert caught.value.code == 2
    assert f"'{interval}' is not a number of seconds" in capsys.readouterr().err


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_names_the_file_and_leaves_the_page_already_published(demo_db, tmp_path):
    """The process may not write files over 100 kB (the page is about 460 kB): the kernel
    refuses the write part way, as on a full disk."""
    site = tmp_path / "site"
    assert main(["publish", NAME, "--out", str(site), "--db", demo_db]) == 0
    good = (site / PAGE).read_bytes()
    (site / SCRIPT).unlink()  # the script is small: it is written, the page is not
    proc = subprocess.run(
        [sys.executable, "-m", "workbook", "publish", NAME, "--out", str(site), "--db", demo_db],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=_limit_file_size(100_000),
    )
    assert proc.returncode == 2, proc.stderr
    assert f"'{site / PAGE}'" in proc.stderr and "File too large" in proc.stderr
    assert "any page already there is unchanged" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (site / PAGE).read_bytes() == good
    assert sorted(p.name for p in site.iterdir()) == [SCRIPT, PAGE]  # no temporary file


def test_the_default_folder_is_anchored_to_the_home_folder_not_the_current_one(
    demo_db, tmp_path, monkeypatch, capsys
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("WORKBOOK_HOME", str(tmp_path / "home"))
    assert main(["publish", NAME, "--db", demo_db]) == 0
    assert (tmp_path / "home" / "site" / PAGE).exists()
    assert list(elsewhere.iterdir()) == []
    assert str(tmp_path / "home" / "site") in capsys.readouterr().out
