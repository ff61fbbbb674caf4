"""The command-line layer for case samples (``check-sample``, ``sample-size``, ``draw``:
workbook.cli.samples), and the samples benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workbook.cli import main
from workbook.draw import draw_sample
from workbook.files import load_sample

from ..test_draw import population

DATA = Path(__file__).resolve().parents[1] / "data" / "samples"
REPO = Path(__file__).resolve().parents[2]


# -- command line -----------------------------------------------------------------------------


def test_check_sample_prints_a_summary(capsys):
    assert main(["check-sample", str(DATA / "valid.csv")]) == 0
    out = capsys.readouterr().out
    assert "valid.csv: 30 cases, no problems found." in out
    for word in (
        "case supervision",
        "Warwickshire",
        "female",
        "licence",
        "very high",
        "Risk of serious harm",
    ):
        assert word in out


def test_check_sample_prints_every_problem_and_exits_2(capsys):
    assert main(["check-sample", str(DATA / "bad_values.csv")]) == 2
    err = capsys.readouterr().err
    assert "5 problems found" in err
    assert (
        "bad_values.csv, row 14, column 'RoSH (risk of serious harm)': 'meduim' is not a risk level."
        in err
    )


def test_check_sample_sheet_and_warnings(capsys):
    assert main(["check-sample", str(DATA / "empty_sheet.xlsx"), "--sheet", "Cases"]) == 0
    assert "(sheet 'Cases'): 30 cases" in capsys.readouterr().out
    assert main(["check-sample", str(DATA / "small_ldu.csv")]) == 0
    assert "1 warning (the sample can still be imported)" in capsys.readouterr().out


def test_sample_size_command(capsys):
    assert main(["sample-size", "--population", "240"]) == 0
    out = capsys.readouterr().out
    assert "Sample size: 98 cases of 240" in out
    assert "n = n0 / (1 + (n0 - 1) / N)" in out
    assert main(["sample-size", "--population", "28", "--confidence", "80", "--margin", "5"]) == 0
    assert "Sample size: 25 cases" in capsys.readouterr().out
    assert main(["sample-size", "--population", "240", "--confidence", "0.95"]) == 0
    assert "Sample size: 148 cases" in capsys.readouterr().out
    assert main(["sample-size", "--population", "0"]) == 2


def test_draw_command_writes_a_sample_that_reads_back(tmp_path, capsys):
    pop_path = tmp_path / "population.csv"
    population().drop(columns="sample").to_csv(pop_path, index=False)
    out = tmp_path / "sample.csv"
    args = [
        "draw",
        str(pop_path),
        "--n",
        "98",
        "--strata",
        "gender,disposal,rosh",
        "--within",
        "ldu",
        "--seed",
        "7",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Drew 98 of 240 cases with seed 7" in printed
    assert "population share" in printed and "sample share" in printed
    sample = load_sample(out)
    assert len(sample) == 98 and sample.seed == 7
    assert set(sample.cases["sample"]) == {"case_supervision"}
    expected = draw_sample(population(), 98, ["gender", "disposal", "rosh"], within="ldu", seed=7)
    assert sample.case_ids == expected.sample["case_id"].tolist()
    assert main([*args[:-1], str(tmp_path / "again.csv")]) == 0
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()


def test_draw_command_errors(tmp_path, capsys):
    pop_path = tmp_path / "population.csv"
    population(20).to_csv(pop_path, index=False)
    code = main(
        [
            "draw",
            str(pop_path),
            "--n",
            "98",
            "--strata",
            "gender,colour",
            "--seed",
            "7",
            "--out",
            str(tmp_path / "s.csv"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "a sample of 98 cases cannot be drawn from a population of 20" in err
    assert "'colour' is not a column of the population" in err
    assert not (tmp_path / "s.csv").exists()


def test_module_entry_point_from_any_folder(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "workbook", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    ok = run("check-sample", str(DATA / "title_row.xlsx"))
    assert ok.returncode == 0, ok.stderr
    assert "30 cases, no problems found" in ok.stdout
    bad = run("check-sample", str(DATA / "not_a_table.csv"))
    assert bad.returncode == 2
    assert "not_a_table.csv: the file is a PNG image, not a table." in bad.stderr
    population().to_csv(tmp_path / "population.csv", index=False)
    drawn = run(
        "draw",
        "population.csv",
        "--n",
        "98",
        "--strata",
        "gender,disposal,rosh",
        "--seed",
        "7",
        "--out",
        "sample.csv",
    )
    assert drawn.returncode == 0, drawn.stderr
    assert load_sample(tmp_path / "sample.csv").seed == 7
    size = run("sample-size", "--population", "20")
    assert "Sample size: 18 cases" in size.stdout


def test_hostile_case_lists_and_frameworks_exit_2_with_a_message(tmp_path):
    from ..test_files import _bomb, _case_list

    lines = _case_list(200).splitlines()
    lines[6] = lines[6].rsplit(",", 1)[0] + ',"Team 6'
    (tmp_path / "quote.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    mixed = _case_list(12).replace("Q00002,", "Q00002 Zo\u00eb,", 1).encode("utf-8")
    (tmp_path / "mixed.csv").write_bytes(mixed.replace(b"Q00009,", b"Q00009 Ren\xe9e,", 1))
    (tmp_path / "bomb.xlsx").write_bytes(_bomb(300 * 2**20))
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    expected = {
        ("check-sample", "quote.csv"): "quote.csv, row 7: a quote opens in this row",
        ("check-sample", "mixed.csv"): "mixed.csv, row 10: the file is UTF-8 text but row 10",
        ("check-sample", "bomb.xlsx"): "bomb.xlsx: the workbook expands to 300 MiB",
        ("overall", "Good", "--framework", "deep.yaml"): "deep.yaml, row 1: the document is nested",
        (
            "overall",
            "Good",
            "--framework",
            "/dev/zero",
        ): "zero: the file is larger than a framework",
    }
    for args, message in expected.items():
        run = subprocess.run(
            [sys.executable, "-m", "workbook", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert message in run.stderr, (args, run.stderr)
        assert "Traceback" not in run.stderr + run.stdout
        assert "cases, no problems found" not in run.stdout


def test_benchmark_runs_and_prints_its_figures(tmp_path, capsys):
    from workbook.bench.samples import main as bench

    assert bench(["--rows", "3000", "--folder", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "read + validate (load_sample):" in out and "stratified draw of 98" in out
