"""The sample loader and the export panel in a real JupyterLab (Debian's Chromium through
Playwright), in a small notebook of the test's own: an XLSX case list in the user's own
headings is uploaded and its name appears on the button that will use it; its row of totals is
named in a warning; Clear empties the upload; a population picked from the data folder is
drawn from with seed 7 and the page says "98 cases drawn with seed 7" with the shares as
percentages; the drawn list and the XLSX export download through their links (Playwright's
``expect_download``), the export reads back with readable headings and a frozen header row,
and "Writing..." is shown while the files are written. axe-core finds nothing serious or
critical in either panel."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.servers import code_notebook, lab_settings_args, run_all_cells
from workbook.config import DEMO_INSPECTION, REPO_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE = """\
import ipywidgets as widgets
from workbook.render import style_tag
from workbook.store import open_store
from workbook.ui.inspect.export_panel import ExportPanel
from workbook.ui.inspect.ratings_board import RatingsBoard
from workbook.ui.inspect.sample_loader import SampleLoader

store = open_store({url!r})
loader = SampleLoader(store, data_dir={data!r}, inspector="e2e inspector")
board = RatingsBoard(store, {name!r})
export = ExportPanel(store.framework({name!r}), ratings=board.ratings, folder={folder!r}, stem={name!r})
root = widgets.VBox([widgets.HTML(style_tag()), loader, export])
root.add_class("wb-workbook")
root
"""

# every button text and status line the export panel shows, recorded as they change
WATCH_EXPORT = """() => {
  window.wbSeen = [];
  const panel = document.querySelector('.wb-export-panel');
  const note = () => {
    const button = [...panel.querySelectorAll('button')].find(b => /Export|Writing/.test(b.textContent));
    const status = panel.querySelector('[role="status"]');
    window.wbSeen.push({button: button ? button.textContent.trim() : '',
                        disabled: button ? button.disabled : null,
                        status: status ? status.textContent.trim() : ''});
  };
  new MutationObserver(note).observe(panel, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def _case_list(path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Midshire case list"])
    sheet.append(["CRN", "Sample type", "PDU", "Sex", "Disposal", "RoSH"])
    sheet.append(["M1", "Case supervision", "North", "M", "Community order", "High"])
    sheet.append(["M2", "Case supervision", "South", "F", "Licence", "Low"])
    sheet.append(["Total", 2, None, None, None, None])
    book.save(path)


def _notebook(root, url, data, folder) -> None:
    code = CODE.format(url=url, data=str(data), name=DEMO_INSPECTION, folder=str(folder))
    code_notebook(root / "loader.ipynb", code)


def _set_number(page, scope, label: str, value: int) -> None:
    box = scope.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")


def test_upload_clear_draw_and_download_in_jupyterlab(
    tmp_path, demo_db, jupyterlab_server, browser, artifacts
):
    root = tmp_path / "lab"
    data = tmp_path / "data" / "demo"
    data.mkdir(parents=True)
    shutil.copy(REPO_DIR / "data" / "demo" / "population.csv", data / "population.csv")
    root.mkdir()
    exports = root / "exports" / DEMO_INSPECTION
    _notebook(root, demo_db, data.parent, exports)
    _case_list(tmp_path / "midshire.xlsx")
    server = jupyterlab_server(
        root,
        env={"WORKBOOK_HOME": str(tmp_path / "home")},
        args=lab_settings_args(tmp_path / "lab-settings"),
    )
    page = browser.new_page(width=1280, height=800)
    try:
        _drive(page, server, tmp_path, exports, artifacts)
    except Exception:
        page.screenshot(path=str(artifacts / "loader-failure.png"), full_page=True)
        raise
    assert browser.traffic.foreign_requests() == []


def _drive(page, server, tmp_path, exports, artifacts) -> None:
    run_all_cells(page, server, "loader.ipynb", lambda p: p.locator(".wb-export-panel").first)
    loader = page.locator(".wb-sample-loader").first
    # upload: the file is named on the button that will use it
    with page.expect_file_chooser() as chooser:  # ipywidgets' input is not in the page
        loader.get_by_role("button", name=re.compile(r"^Upload a file")).click()
    chooser.value.set_files(str(tmp_path / "midshire.xlsx"))
    check = loader.get_by_role("button", name="Check as the case list: uses upload 'midshire.xlsx'")
    check.wait_for(timeout=30_000)
    assert "upload 'midshire.xlsx'" in loader.locator(".wb-loader-source").inner_text()
    check.click()
    status = loader.get_by_role("status").filter(has_text="2 cases ready to import")
    status.wait_for(timeout=30_000)
    assert "from upload 'midshire.xlsx'" in status.inner_text()
    warning = loader.locator(".wb-loader-warnings")
    assert "midshire.xlsx, row 5: the row starting 'Total' is a row of totals" in (
        warning.inner_text()
    )
    # the confirmation sits right under the button pressed
    below = status.bounding_box()["y"] - (
        check.bounding_box()["y"] + check.bounding_box()["height"]
    )
    assert 0 <= below < 80, below
    # Clear empties the upload
    loader.get_by_role("button", name="Clear the upload").click()
    loader.get_by_role("button", name="Check as the case list: choose a file first").wait_for(
        timeout=30_000
    )
    assert loader.locator(".widget-upload").inner_text().strip().endswith("(0)")
    # a population picked from the data folder, drawn from with seed 7
    loader.get_by_label("or pick a file from the data folder").select_option(
        label="demo/population.csv"
    )
    loader.get_by_role(
        "button", name="Use as the population to draw from: uses data file 'demo/population.csv'"
    ).click()
    loader.get_by_role("status").filter(has_text="Eligible population: 240 cases").wait_for(
        timeout=30_000
    )
    draw_box = loader.locator(".wb-loader-draw")
    _set_number(page, draw_box, "Cases to draw", 98)
    _set_number(page, draw_box, "Seed", 7)
    draw_box.get_by_role("button", name=re.compile(r"^Draw the sample")).click()
    drawn = draw_box.get_by_role("status").filter(has_text="98 cases drawn with seed 7")
    drawn.wait_for(timeout=30_000)
    shares = draw_box.locator("table td").filter(has_text=re.compile(r"^\d+\.\d%$"))
    assert shares.count() >= 4
    assert all(float(t.rstrip("%")) <= 100 for t in shares.all_inner_texts())
    with page.expect_download() as got:
        drawn.get_by_role("link", name=re.compile(r"^Download the drawn list")).click()
    download = got.value
    assert download.suggested_filename == "population-drawn-98-seed-7.csv"
    drawn_csv = tmp_path / "drawn.csv"
    download.save_as(drawn_csv)
    lines = drawn_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("draw_seed") and len(lines) == 99 and lines[1].endswith(",7")
    page.screenshot(path=str(artifacts / "loader-drawn.png"))
    # the export: Writing... while it writes, then a link per file
    panel = page.locator(".wb-export-panel").first
    panel.scroll_into_view_if_needed()
    page.evaluate(WATCH_EXPORT)
    panel.get_by_role("button", name="Export", exact=True).click()
    link = panel.get_by_role("link", name=f"{DEMO_INSPECTION}.xlsx", exact=True)
    link.wait_for(timeout=120_000)
    seen = page.evaluate("window.wbSeen")
    assert any(s["button"] == "Writing..." and s["disabled"] for s in seen), seen[:5]
    assert any(s["status"].startswith("Writing") for s in seen), seen[:5]
    assert panel.get_by_role("button", name="Export", exact=True).is_enabled()
    names = panel.locator(".wb-export-files a").all_inner_texts()
    assert sorted(names) == sorted(p.name for p in exports.iterdir())
    with page.expect_download() as got:
        link.click()
    saved = tmp_path / "export.xlsx"
    got.value.save_as(saved)
    assert saved.read_bytes() == (exports / f"{DEMO_INSPECTION}.xlsx").read_bytes()
    ws = openpyxl.load_workbook(saved)["key-questions"]
    assert [c.value for c in ws[1]][:3] == ["Key question", "Standard", "Group"]
    assert ws.freeze_panes == "A2"
    page.screenshot(path=str(artifacts / "export-panel.png"))
    for within in (".wb-sample-loader", ".wb-export-panel"):
        assert axe_violations(page, within) == [], within
