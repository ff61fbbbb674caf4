"""`python -m workbook rate` and `overall`: outputs, JSON shape and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
DEMO_ARGS = [
    str(DEMO / "judgements.csv"),
    "--cases",
    str(DEMO / "cases.csv"),
    "--decisions",
    str(DEMO / "decisions.csv"),
]


def test_rate_table_prints_the_report(capsys):
    assert main(["rate", *DEMO_ARGS]) == 0
    out = capsys.readouterr().out
    assert "2.1 Assessment" in out and "Good [1]" in out
    assert "Overall: 13 of 30 points: Requires improvement" in out
    assert "[2] 2.4: professional discretion (lowest key-question band: Inadequate)" in out


def test_rate_json_shape(capsys):
    assert main(["rate", *DEMO_ARGS, "--by", "ldu", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"framework", "key_questions", "standards", "overall", "breakdowns"}
    kq = next(k for k in doc["key_questions"] if k["id"] == "2.4.3")
    assert {"id", "standard", "yes", "no", "not_applicable", "pct", "band", "ci80"} <= set(kq)
    assert (kq["yes"], kq["no"], kq["not_applicable"], kq["pct"], kq["band"]) == (
        26,
        27,
        45,
        49,
        "Inadequate",
    )
    assert kq["ci80"][0] < 49.06 < kq["ci80"][1]
    std = {s["id"]: s for s in doc["standards"]}
    assert (
        std["2.4"]["rating"] == "Requires improvement"
        and std["2.4"]["lowest_kq_band"] == "Inadequate"
    )
    assert std["2.4"]["discretion"]["rating"] == "Requires improvement"
    assert std["2.2"]["discretion"] is None
    assert doc["overall"] == {
        "points": 13,
        "max_points": 30,
        "rating": "Requires improvement",
        "missing": [],
    }
    assert set(doc["breakdowns"]["ldu"]) == {
        "Warwickshire",
        "Worcestershire",
        "Shropshire, Telford and Herefordshire",
    }
    names = {s["rating"] for s in doc["standards"]}
    assert names <= {"Outstanding", "Good", "Requires improvement", "Inadequate"}


def test_rate_csv_and_markdown(capsys):
    assert main(["rate", *DEMO_ARGS, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("group_by,group,item_id,item_kind")
    assert ",,2.2.3,kq,47,36,15,83,57,Requires improvement" in "\n".join(lines)
    assert main(["rate", *DEMO_ARGS, "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "| **2.1 Assessment** | | | | | | **Good [1]** |" in md


def test_rate_by_ldu_follows_the_report(capsys):
    assert main(["rate", *DEMO_ARGS, "--by", "ldu", "--format", "json"]) == 0
    ldu = json.loads(capsys.readouterr().out)["breakdowns"]["ldu"]
    pct = lambda group, q: next(k["pct_exact"] for k in ldu[group]["key_questions"] if k["id"] == q)  # noqa: E731
    sth, war, wor = "Shropshire, Telford and Herefordshire", "Warwickshire", "Worcestershire"
    for q in ("2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.2.3", "2.3.1", "2.3.2", "2.3.3"):
        assert pct(sth, q) > max(pct(war, q), pct(wor, q)), q
    assert pct(war, "2.1.3") < pct(wor, "2.1.3")


def test_bad_judgements_list_every_problem(tmp_path, capsys):
    bad = tmp_path / "judgements.csv"
    bad.write_text(
        "case_id,question,answer\n"
        "A1,2.1.1,yes\n"
        "A1,2.1.9,yes\n"  # unknown KQ
        "A2,2.1.3,n/a\n"  # N/A not allowed for 2.1.3
        "A3,2.4.3,maybe\n"  # not an answer
        "A1,2.1.1,no\n"  # duplicate
        ",2.1.2,Y\n",  # empty case id
        encoding="utf-8",
    )
    assert main(["rate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no partial table
    err = captured.err
    assert "5 problems found; nothing was done" in err
    assert "judgements.csv, row 3, column 'question': '2.1.9' is not a key question" in err
    assert "judgements.csv, row 4, column 'answer': 'n/a' is not allowed for 2.1.3" in err
    assert (
        "judgements.csv, row 5, column 'answer': 'maybe' is not an answer. Allowed: yes, no, not applicable"
        in err
    )
    assert (
        "judgements.csv, row 6, column 'question': case 'A1' already has an answer for 2.1.1 (row 2)"
        in err
    )
    assert "judgements.csv, row 7, column 'case_id': the case id is empty." in err


def test_bad_decisions_and_missing_columns(tmp_path, capsys):
    j = tmp_path / "j.csv"
    j.write_text("case_id,answer\nA1,yes\n", encoding="utf-8")
    d = tmp_path / "d.csv"
    d.write_text("standard,rating,reason\n2.9,Good,x\n2.1,Excellent,\n", encoding="utf-8")
    assert main(["rate", str(j), "--decisions", str(d)]) == 2
    err = capsys.readouterr().err
    assert (
        "j.csv, row 1, column 'question': the column 'question' is missing (columns found: case_id, answer)."
        in err
    )
    assert "d.csv, row 2, column 'standard': '2.9' is not a standard" in err
    assert (
        "d.csv, row 3, column 'rating': 'Excellent' is not a rating. Allowed: Outstanding, Good, Requires improvement, Inadequate."
        in err
    )
    assert "d.csv, row 3, column 'reason': the reason" in err


def test_not_utf8_and_binary_files(tmp_path, capsys):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("case_id,question,answer\nCaf\xe9,2.1.1,yes\n".encode("cp1252"))
    assert main(["rate", str(latin)]) == 2
    assert "latin.csv: the file is not UTF-8 text" in capsys.readouterr().err
    png = tmp_path / "image.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["rate", str(png)]) == 2
    assert "image.csv: the file is not UTF-8 text" in capsys.readouterr().err


def test_answers_in_any_spelling(tmp_path, capsys):
    j = tmp_path / "j.csv"
    j.write_text(
        "CRN,Question,Answer\nA,2.4.3,N/A\nB,2.4.3,Y\nC,2.4.3,no\nD,2.4.3,Not Applicable\nE,2.4.3,YES\n",
        encoding="utf-8",
    )
    assert main(["rate", str(j), "--format", "json"]) == 0
    kq = next(k for k in json.loads(capsys.readouterr().out)["key_questions"] if k["id"] == "2.4.3")
    assert (kq["yes"], kq["no"], kq["not_applicable"]) == (2, 1, 2)


def test_by_needs_cases(capsys):
    assert main(["rate", str(DEMO / "judgements.csv"), "--by", "ldu"]) == 2
    assert "--by ldu needs --cases" in capsys.readouterr().err
    assert main(["rate", *DEMO_ARGS, "--by", "region"]) == 2
    assert "the cases have no column 'region'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, expected",
    [
        (["Good", "Good", "Good"], "3 standards: 6 of 9 points: Good"),
        (["requires improvement"] * 10, "10 standards: 10 of 30 points: Requires improvement"),
        (["Outstanding"] * 9 + ["Good"] * 3, "12 standards: 33 of 36 points: Outstanding"),
    ],
)
def test_overall_command(args, expected, capsys):
    assert main(["overall", *args]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_overall_json_and_bad_name(capsys):
    assert main(["overall", "Good", "Inadequate", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "points": 2,
        "max_points": 6,
        "rating": "Requires improvement",
        "standards": 2,
    }
    assert main(["overall", "Good", "Excellent"]) == 2
    assert "rating 2: 'Excellent' is not a rating" in capsys.readouterr().err


def test_module_entry_point_runs_from_any_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "workbook", "rate", *DEMO_ARGS],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Overall: 13 of 30 points: Requires improvement" in proc.stdout


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_rate_inspection_refuses_another_version_of_its_framework(
    backend, tmp_path, monkeypatch, capsys, request
):
    """An inspection created with version 2018.1 is not rated with another version installed
    under the same id through WORKBOOK_FRAMEWORKS: exit 2, naming both versions."""
    from tests.store.test_reading import other_version
    from workbook.store import open_store

    url = (
        f"sqlite:///{tmp_path / 'w.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = open_store(url)
    try:
        store.create_inspection(
            "pinned",
            "hmip-2018-crc",
            cases=_cases_frame(),
            judgements=[("C1", "2.1.1", "yes", "i-1")],
        )
        pinned = store.inspection("pinned").framework_version
    finally:
        store.close()
    assert main(["rate", "--inspection", "pinned", "--db", url]) == 0  # rated with its own
    capsys.readouterr()
    monkeypatch.setenv("WORKBOOK_FRAMEWORKS", str(other_version(tmp_path / "frameworks")))
    assert main(["rate", "--inspection", "pinned", "--db", url]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "framework_version" not in captured.err  # the message, not the code, is for people
    assert f"pinned to framework hmip-2018-crc version {pinned}" in captured.err
    assert "the framework installed is version 2019.9" in captured.err


def _cases_frame():
    import pandas as pd

    return pd.DataFrame({"case_id": ["C1", "C2"], "ldu": ["North", "South"]})


def test_rate_csv_keeps_formula_payloads_as_text(tmp_path, capsys):
    import csv as csv_module

    from tests.report.test_writers import PAYLOADS, hostile_files
    from workbook.render.cells import FORMULA_START

    files = hostile_files(tmp_path)
    args = [str(files["judgements"]), "--cases", str(files["cases"])]
    args += ["--decisions", str(files["decisions"]), "--by", "ldu", "--format", "csv"]
    assert main(["rate", *args]) == 0
    rows = list(csv_module.reader(capsys.readouterr().out.splitlines()))
    cells = [c for row in rows for c in row]
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    groups = {row[1] for row in rows[1:]}
    reasons = {row[12] for row in rows[1:]}
    for payload in PAYLOADS[:5]:
        assert "'" + payload in groups and "'" + payload in reasons, payload


def test_rate_csv_quotes_a_lone_carriage_return_so_rows_stay_rows(tmp_path, capsys):
    """The csv module leaves a lone CR unquoted, and readers take it for the end of a row."""
    import csv as csv_module
    import io

    judgements = tmp_path / "judgements.csv"
    cases = tmp_path / "cases.csv"
    judgements.write_text(
        "case_id,question,answer\nC1,2.1.1,yes\nC2,2.1.1,no\n", encoding="utf-8", newline=""
    )
    cases.write_text('case_id,ldu\nC1,"North\rEast"\nC2,South\n', encoding="utf-8", newline="")
    args = [str(judgements), "--cases", str(cases), "--by", "ldu", "--format", "csv"]
    assert main(["rate", *args]) == 0
    out = capsys.readouterr().out
    rows = list(csv_module.reader(io.StringIO(out, newline="")))
    assert {len(row) for row in rows} == {13}
    assert "North\rEast" in {row[1] for row in rows[1:]}
