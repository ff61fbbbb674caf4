"""Exports that fail half-way leave no debris: each file is written to a temporary name in its
folder and renamed once complete, so a full disk (here: a file size limit, ``RLIMIT_FSIZE``, in
a child process) leaves nothing partial under an export's name, a previous export's file as it
was, and an error naming the file. Folder and file names with control characters are refused
with a clear problem. The report writers, the chart pictures and the export panel alike.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbook import report
from workbook.caselist.cells import FORMULA_START, quote_text, unquote_text
from workbook.charts.svg import write_chart
from workbook.errors import WorkbookError
from workbook.reasons import Reason

PAYLOADS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'quoted",
)

LIMITED = """
import json, resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
import pandas as pd
from workbook.errors import WorkbookError
{setup}
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
try:
{body}
    print(json.dumps({{"ok": True}}))
except WorkbookError as exc:
    p = exc.problems[0]
    print(json.dumps({{"ok": False, "code": str(p.code), "file": p.file, "text": str(exc)}}))
"""


def run_limited(setup: str, body: str, folder: Path, limit: int = 8192) -> dict:
    """Run ``setup`` then, unable to write a file beyond ``limit`` bytes, ``body``."""
    code = LIMITED.format(
        limit=limit,
        setup=textwrap.dedent(setup),
        body=textwrap.indent(textwrap.dedent(body), "    "),
    )
    done = subprocess.run(
        [sys.executable, "-B", "-c", code],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


BIG_TABLES = """
big = pd.DataFrame({"group": [f"LDU {i}" for i in range(5000)], "n": range(5000)})
tables = {"big": big}
"""


@pytest.mark.parametrize("kind", ["xlsx", "csv", "md"])
def test_an_export_that_fails_half_way_leaves_no_partial_file(tmp_path, kind):
    out = tmp_path / "export"
    out.mkdir()
    name = {"xlsx": "ratings.xlsx", "csv": "ratings-big.csv", "md": "ratings.md"}[kind]
    (out / name).write_bytes(b"the previous export")
    result = run_limited(
        BIG_TABLES,
        f"""
        from workbook import report
        report.write_tables(tables, {str(out)!r}, ({kind!r},))
        """,
        tmp_path,
    )
    assert result["ok"] is False and result["code"] == "cannot_write_export"
    assert result["file"] == str(out / name) and "File too large" in result["text"]
    assert (out / name).read_bytes() == b"the previous export"
    assert sorted(p.name for p in out.iterdir()) == [name]  # no temporary file left


@pytest.fixture(scope="module")
def chart():
    import altair as alt

    rows = pd.DataFrame({"kq": [f"2.{i}" for i in range(40)], "pct": range(40)})
    return alt.Chart(rows).mark_bar().encode(x="kq:N", y="pct:Q").properties(width=600)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_a_chart_picture_that_fails_half_way_is_not_left_truncated(tmp_path, suffix):
    out = tmp_path / f"kq-chart{suffix}"
    setup = """
    import altair as alt
    rows = pd.DataFrame({"kq": [f"2.{i}" for i in range(40)], "pct": range(40)})
    chart = alt.Chart(rows).mark_bar().encode(x="kq:N", y="pct:Q").properties(width=600)
    from workbook.charts.svg import chart_png, chart_svg, write_chart
    chart_png(chart), chart_svg(chart)  # rendered once before the limit: vl-convert warms up
    """
    result = run_limited(setup, f"write_chart(chart, {str(out)!r})", tmp_path, limit=4096)
    assert result["ok"] is False and result["code"] == "cannot_write_export"
    assert result["file"] == str(out)
    assert list(tmp_path.iterdir()) == []


def test_a_chart_is_written_whole(tmp_path, chart):
    png = write_chart(chart, tmp_path / "c.png")
    svg = write_chart(chart, tmp_path / "c.svg")
    assert png.read_bytes().startswith(b"\x89PNG") and "<svg" in svg.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.png", "c.svg"]
    with pytest.raises(ValueError):
        write_chart(chart, tmp_path / "c.gif")


@pytest.mark.parametrize("bad", ["ex\x00port", "ex\x1b]0;titlе\x07port", "ex\nport"])
def test_a_folder_name_with_a_control_character_is_a_clear_problem(tmp_path, bad, chart):
    tables = {"t": pd.DataFrame({"a": [1]})}
    for write in (
        lambda: report.write_tables(tables, tmp_path / bad),
        lambda: report.write_tables(tables, tmp_path, stem=f"rat{bad}ings"),
        lambda: write_chart(chart, tmp_path / bad / "c.svg"),
    ):
        with pytest.raises(WorkbookError) as info:
            write()
        assert info.value.codes == [Reason.BAD_PATH]
        assert not any(ch in str(info.value) for ch in "\x00\x1b\x07")
    assert list(tmp_path.iterdir()) == []


def test_exported_cells_read_back_as_inert_text_and_as_the_originals(tmp_path):
    table = pd.DataFrame({"ldu": list(PAYLOADS), "n": range(len(PAYLOADS))})
    table.attrs["footnotes"] = list(PAYLOADS)
    report.write_tables({"t": table}, tmp_path, ("xlsx", "csv"))
    ws = openpyxl.load_workbook(tmp_path / "ratings.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" and not c.value.startswith(FORMULA_START) for c in cells)
    column = [ws.cell(row=r, column=1).value for r in range(2, len(PAYLOADS) + 2)]
    # exactly the writer's quote more; XML keeps no lone carriage return (read as a line feed)
    assert column == [quote_text(p).replace("\r", "\n") for p in PAYLOADS]
    with (tmp_path / "ratings-t.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [unquote_text(r[0]) for r in rows[1:]] == list(PAYLOADS)
    assert not [r[0] for r in rows if r[0].startswith(FORMULA_START)]


def _panel(tmp_path, formats):
    from workbook.files import load_framework
    from workbook.ratings import rate
    from workbook.ui.inspect.export_panel import ExportPanel

    framework = load_framework("hmip-2018-crc")
    judgements = pd.DataFrame([("C1", "2.1.1", "yes")], columns=["case_id", "question", "answer"])
    panel = ExportPanel(framework, home=tmp_path)
    panel.ratings = rate(framework, judgements)
    panel.formats = list(formats)
    panel.folder = "exports\x00"
    return panel


def test_the_export_panel_shows_a_bad_folder_as_a_problem(tmp_path):
    panel = _panel(tmp_path, ["xlsx", "csv", "md", "png", "svg"])
    assert panel.export() == []
    assert panel.feedback.kind == "problems" and "control character" in panel.feedback.text
    assert list(tmp_path.iterdir()) == []


def test_the_export_panel_shows_a_bad_folder_for_charts_alone_as_a_problem(tmp_path):
    panel = _panel(tmp_path, ["png", "svg"])
    assert panel.export() == []
    assert panel.feedback.kind == "problems" and "control character" in panel.feedback.text
