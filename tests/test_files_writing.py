"""Files written at the edge (workbook.files): a sample file that cannot attack whoever opens it
and reads back as the cases it was written from; every file written all or nothing; names with
control characters refused with a clear problem (exit 2 on the command line).

A full disk cannot be made here: a file size limit (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored,
so a write past it fails with ``EFBIG`` as a write to a full disk fails with ``ENOSPC``) in a
child process stands in for it.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbook.caselist.cells import FORMULA_START
from workbook.cli import main
from workbook.errors import WorkbookError
from workbook.files import check_path, load_sample, write_file, write_sample
from workbook.reasons import Reason

DATA = Path(__file__).resolve().parent / "data" / "samples"
PAYLOADS = (  # LDU names, each spelt apart from the others (the reader joins near spellings)
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+North",
    "-South",
    "@SUM(A1)",
    "'quoted",
    "'=East",
)


def test_a_written_sample_holds_no_formula_and_reads_back_as_it_was(tmp_path):
    sample = load_sample(DATA / "valid.csv")
    cases = sample.cases.copy()
    cases["ldu"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(cases))]
    out = write_sample(cases, tmp_path / "sample.csv", seed=7)
    with out.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    assert "'=cmd|' /C calc'!A0" in cells and "'quoted" in cells and "''=East" in cells
    again = load_sample(out)
    assert again.seed == 7
    assert again.cases["ldu"].tolist() == cases["ldu"].tolist()
    assert again.cases.equals(cases)


def test_a_case_list_cell_starting_with_a_quote_keeps_it_unless_the_writer_added_it(tmp_path):
    path = tmp_path / "cases.csv"
    text = (DATA / "valid.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(",Warwickshire,", ",'Warwickshire,"), encoding="utf-8")
    ldus = set(load_sample(path).cases["ldu"])
    assert "'Warwickshire" in ldus and "Warwickshire" not in ldus


@pytest.mark.parametrize("name", ["a\x00b.csv", "a\x1b[2Jb.csv", "a\nb.csv", "a\tb.csv"])
def test_a_name_with_a_control_character_is_a_clear_problem(tmp_path, name):
    with pytest.raises(WorkbookError) as info:
        write_file(tmp_path / name, b"x")
    assert info.value.codes == [Reason.BAD_PATH]
    message = str(info.value)
    assert all(ch not in message for ch in "\x00\x1b\t") and "control character" in message
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(WorkbookError):
        check_path(f"{tmp_path}/folder\x00/x.csv")


def test_a_sample_path_with_a_nul_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(WorkbookError) as info:
        load_sample(f"{tmp_path}/a\x00b.csv")
    assert info.value.codes == [Reason.BAD_PATH] and "\x00" not in str(info.value)


def test_the_draw_to_a_name_with_a_control_character_exits_2(tmp_path, capsys):
    out = tmp_path / "sample\x01.csv"
    population = DATA / "valid.csv"
    args = ["draw", str(population), "--n", "3", "--strata", "gender", "--seed", "1"]
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "control character" in err and "\x01" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_writing_replaces_a_file_whole(tmp_path):
    path = tmp_path / "out" / "file.txt"
    write_file(path, "first")
    write_file(path, b"second")
    write_file(path, lambda tmp: Path(tmp).write_text("third", encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == "third"
    assert [p.name for p in path.parent.iterdir()] == ["file.txt"]


LIMITED = """
import json, resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from workbook.errors import WorkbookError
try:
{body}
    print(json.dumps({{"ok": True}}))
except WorkbookError as exc:
    p = exc.problems[0]
    print(json.dumps({{"ok": False, "code": str(p.code), "file": p.file, "text": str(exc)}}))
"""


def run_limited(body: str, folder: Path, limit: int = 16384) -> dict:
    """Run ``body`` in a child process that may write no file beyond ``limit`` bytes."""
    code = LIMITED.format(limit=limit, body=textwrap.indent(textwrap.dedent(body), "    "))
    done = subprocess.run(
        [sys.executable, "-B", "-c", code],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_write_that_fails_half_way_leaves_no_partial_file(tmp_path):
    path = tmp_path / "sample.csv"
    path.write_text("the previous sample\n", encoding="utf-8")
    result = run_limited(
        f"""
        from workbook.files import write_file
        write_file({str(path)!r}, b"x" * 200_000)
        """,
        tmp_path,
    )
    assert result["ok"] is False and result["code"] == "cannot_write_file"
    assert result["file"] == str(path) and "File too large" in result["text"]
    assert path.read_text(encoding="utf-8") == "the previous sample\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.csv"]


def test_a_sample_too_large_for_the_disk_is_not_left_half_written(tmp_path):
    path = tmp_path / "drawn.csv"
    result = run_limited(
        f"""
        import pandas as pd
        from workbook.files import write_sample
        cases = pd.DataFrame({{"case_id": [f"C{{i:06d}}" for i in range(20_000)], "ldu": "North"}})
        write_sample(cases, {str(path)!r}, seed=3)
        """,
        tmp_path,
    )
    assert result["ok"] is False and result["file"] == str(path)
    assert list(tmp_path.iterdir()) == []
