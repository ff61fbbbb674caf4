"""ExportPanel: files written under the settings' exports folder, a download link for each
(what the link holds is the file), the "Writing..." state, and an XLSX people can read."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import openpyxl

from workbook.config import load_settings
from workbook.store.names import path_part
from workbook.ui.inspect.export_panel import ExportPanel
from workbook.ui.inspect.ratings_board import RatingsBoard

LINK = re.compile(r'<a class="wb-download" href="data:([^;]+);base64,([^"]+)" download="([^"]+)"')


def _panel(demo_store, demo_name, folder: Path, formats=None):
    board = RatingsBoard(demo_store, demo_name)
    panel = ExportPanel(
        demo_store.framework(demo_name), ratings=board.ratings, folder=folder, stem=demo_name
    )
    if formats:
        panel.formats = formats
    return panel


def test_each_file_written_under_the_exports_folder_has_a_download_link(
    demo_store, demo_name, tmp_path
):
    settings = load_settings({"WORKBOOK_EXPORTS": str(tmp_path / "exports")})
    folder = settings.exports_dir / path_part(demo_name)
    panel = _panel(demo_store, demo_name, folder, ["xlsx", "csv", "md", "svg"])
    written = panel.export()
    assert written and all(p.parent == tmp_path / "exports" / demo_name for p in written)
    links = {
        name: (mime, base64.b64decode(data)) for mime, data, name in LINK.findall(panel.files.value)
    }
    assert sorted(links) == sorted(p.name for p in written)
    for path in written:
        mime, data = links[path.name]
        assert data == path.read_bytes(), path.name
    assert links[f"{demo_name}.xlsx"][0].endswith("spreadsheetml.sheet")
    assert links[f"{demo_name}-kq-chart.svg"][0] == "image/svg+xml"
    assert f"Wrote {len(written)} files to {folder}." in panel.feedback.text
    assert str(folder) in panel.files.value


def test_while_writing_the_button_is_disabled_and_the_status_says_writing(
    demo_store, demo_name, tmp_path
):
    panel = _panel(demo_store, demo_name, tmp_path, ["csv"])
    seen = []
    panel.export_button.observe(
        lambda c: seen.append((c["name"], c["new"])), names=["disabled", "description"]
    )
    panel.feedback.observe(lambda c: seen.append(("status", c["new"])), names="value")
    panel.export_button.click()
    assert ("disabled", True) in seen and ("description", "Writing...") in seen
    writing = [v for k, v in seen if k == "status" and "Writing" in v]
    assert writing and 'role="status"' in writing[0]
    assert seen.index(("description", "Writing...")) < seen.index(("status", writing[0])) + 2
    assert panel.export_button.description == "Export" and not panel.export_button.disabled
    assert panel.feedback.text.startswith("Wrote 4 files")


def test_a_failed_export_says_why_and_the_button_comes_back(demo_store, demo_name, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    panel = _panel(demo_store, demo_name, blocker / "sub", ["xlsx"])
    assert panel.export() == []
    assert panel.feedback.kind == "problems" and panel.files.value == ""
    assert panel.export_button.description == "Export" and not panel.export_button.disabled
    panel.disabled = True
    panel.export()
    assert panel.export_button.disabled and "read-only" in panel.feedback.text


def test_the_exported_xlsx_reads_as_the_report_does(demo_store, demo_name, tmp_path):
    panel = _panel(demo_store, demo_name, tmp_path, ["xlsx"])
    (path,) = panel.export()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["summary", "annex", "standards-by-group", "key-questions"]
    kq = book["key-questions"]
    header = [c.value for c in kq[1]]
    assert header[:3] == ["Key question", "Standard", "Group"] and "% yes" in header
    assert "pct" not in header and "ci80_lo" not in header
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2" and all(c.font.bold for c in ws[1])
    annex = book["annex"]
    widths = {c.value: annex.column_dimensions[c.column_letter].width for c in annex[1]}
    assert widths["Text"] > widths["Cases"] >= 8
