"""The inspectors' workbook as one screen in real JupyterLab (Debian's Chromium, 1280x800):
open the demo from inspect.ipynb, create a new inspection from an uploaded XLSX and open it,
all without editing a cell; answer a whole 12-question case from the keyboard alone while the
compact summary changes and stays in the viewport; and JupyterLab's shortcuts typed on an
answer change no cell (the ShortcutGuard), while arrow keys move the case list and filters."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import openpyxl
import pytest

from tests.e2e.servers import lab_url
from tests.e2e.test_inspect_e2e import NOTEBOOK, open_and_run, serve_inspect
from workbook.demo import ensure_demo
from workbook.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO_CASES = Path(__file__).resolve().parents[2] / "data" / "demo" / "cases.csv"
WIDTH, HEIGHT = 1280, 800
SHORTCUTS = ["d", "d", "m", "j", "k", "a", "b", "x", "z", "Shift+Enter"]

CELLS = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(c => ({
    type: c.classList.contains('jp-CodeCell') ? 'code' : 'markdown',
    active: c.classList.contains('jp-mod-active'),
    prompt: (c.querySelector('.jp-InputPrompt') || {}).innerText || '',
    source: (c.querySelector('.cm-content') || {}).innerText || '',
}))"""
FOCUS = """() => { const e = document.activeElement;
    return {tag: e.tagName, type: e.type || '', value: e.value || '',
            inWorkbook: !!e.closest('.wb-workbook'),
            group: (e.closest('fieldset, [role=radiogroup]') || {}).id || ''}; }"""


def demo_store(home: Path) -> str:
    url = f"sqlite:///{home / 'workbook.db'}"
    store = open_store(url)
    ensure_demo(store)
    store.close()
    return url


def notebook_cells(page) -> list[dict]:
    return page.evaluate(CELLS)


def write_case_list(path: Path, n: int = 8) -> list[str]:
    """An XLSX case list from the demo's cases.csv (its own headings), first ``n`` case
    supervision cases renamed, written with openpyxl."""
    lines = DEMO_CASES.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:] if ",case supervision," in line][:n]
    ids = [f"NEW-{i:03d}" for i in range(1, len(rows) + 1)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for case_id, row in zip(ids, rows, strict=True):
        sheet.append([case_id, *row[1:]])
    book.save(path)
    return ids


def in_viewport(box) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= WIDTH
        and box["y"] + box["height"] <= HEIGHT
    )


def saved_notebook(server) -> nbformat.NotebookNode:
    url = lab_url(server, "api/contents/inspect.ipynb?type=notebook&content=1")
    for attempt in range(10):  # a read landing while the file is being written is refused
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                model = json.load(response)
            break
        except urllib.error.HTTPError as exc:
            if attempt == 9:
                raise AssertionError(f"{exc}: {exc.read()[:500]!r}") from None
            time.sleep(1)
    return nbformat.from_dict(model["content"])


def test_a_new_inspection_from_an_uploaded_xlsx_opens_in_place_without_editing_a_cell(
    tmp_path, jupyterlab_server, browser, artifacts
):
    home = tmp_path / "home"
    url = demo_store(home)
    xlsx = tmp_path / "midshire cases.xlsx"
    ids = write_case_list(xlsx)
    server = serve_inspect(tmp_path, jupyterlab_server, home)
    page = browser.new_page(width=WIDTH, height=HEIGHT)
    try:
        open_and_run(page, server)
        screen = page.locator(".wb-workbook").first
        message = screen.locator(".wb-screen-message")
        assert "inspection demo-wwm-2019" in message.inner_text()
        cells = notebook_cells(page)

        screen.get_by_role("button", name="New inspection").click()
        loader = screen.locator(".wb-sample-loader, .wb-loader").first
        loader.wait_for(state="visible", timeout=30_000)
        with page.expect_file_chooser() as chooser:
            loader.get_by_role("button", name=re.compile(r"Upload")).first.click()
        chooser.value.set_files(str(xlsx))
        loader.get_by_text(xlsx.name).first.wait_for(timeout=30_000)
        loader.get_by_role("button", name=re.compile(r"^Check")).first.click()
        create = loader.get_by_role("button", name=re.compile(r"^Create inspection"))
        loader.get_by_role("textbox", name="Name").fill("midshire-2026")
        loader.get_by_role("textbox", name="Name").press("Tab")
        page.wait_for_function(
            "b => !b.disabled", arg=create.element_handle(timeout=60_000), timeout=60_000
        )
        create.click()

        message.filter(has_text="inspection midshire-2026").wait_for(timeout=60_000)
        form = screen.locator(".wb-judgement-form").first
        form.locator("h3", has_text=f"Case {ids[0]}").wait_for(timeout=60_000)
        assert screen.get_by_role("tab", name="Cases").get_attribute("aria-selected") == "true"
        options = screen.locator(".wb-case-navigator .widget-select select option")
        assert [o.split("\xa0")[0].split(" ")[0] for o in options.all_inner_texts()] == ids
        picker = screen.get_by_role("combobox", name="Inspection")
        assert picker.input_value() == "midshire-2026"
        assert "Ratings for case " + ids[0] in screen.locator(".wb-case-summary").inner_text()
        page.screenshot(path=str(artifacts / "inspect-screen-new.png"))

        picker.select_option("demo-wwm-2019")  # and back to the demo, in place
        message.filter(has_text="inspection demo-wwm-2019").wait_for(timeout=60_000)
        form.locator("h3", has_text="Case D19-").first.wait_for(timeout=60_000)
        after = notebook_cells(page)  # no cell added, changed or run
        assert [{**c, "active": False} for c in after] == [{**c, "active": False} for c in cells]
        assert [c["active"] for c in after] == [False, True, False]  # the workbook's own cell
    except Exception:
        page.screenshot(path=str(artifacts / "inspect-screen-new-failure.png"))
        raise
    store = open_store(url)
    assert list(store.cases("midshire-2026")["case_id"]) == ids
    store.close()
    assert browser.traffic.foreign_requests() == []


def test_a_whole_case_answered_from_the_keyboard_keeps_the_summary_in_view(
    tmp_path, jupyterlab_server, browser, artifacts
):
    home = tmp_path / "home"
    url = demo_store(home)
    store = open_store(url)  # a fresh inspection: three case-supervision cases, no answers
    cases = store.cases("demo-wwm-2019")
    cases = cases[cases["sample"] == "case_supervision"].head(3)
    store.create_inspection("keyboard-2026", store.framework("demo-wwm-2019"))
    store.import_cases("keyboard-2026", cases)
    case = str(cases["case_id"].iloc[0])
    store.close()
    server = serve_inspect(
        tmp_path, jupyterlab_server, home, env={"WORKBOOK_INSPECTION": "keyboard-2026"}
    )
    page = browser.new_page(width=WIDTH, height=HEIGHT)
    try:
        open_and_run(page, server)
        screen = page.locator(".wb-workbook").first
        form = screen.locator(".wb-judgement-form").first
        form.locator("h3", has_text=f"Case {case}").wait_for(timeout=60_000)
        groups = form.get_by_role("group").filter(has=page.get_by_role("radio"))
        questions = [
            g.split(" ")[0]
            for g in groups.evaluate_all(
                "gs => gs.map(g => (g.querySelector('legend') || g).innerText.trim())"
            )
        ]
        assert len(questions) == 12, questions
        summary = screen.locator(".wb-screen-summary").first
        last = summary.locator(".wb-summary__last")
        scroller = page.locator(".jp-WindowedPanel-outer").first
        groups.first.get_by_role("radio").first.focus()  # the only non-key step: the start
        top = None
        answers = {}
        for i, question in enumerate(questions):
            focus = page.evaluate(FOCUS)
            assert focus["type"] == "radio", (question, focus)
            assert focus["group"] == groups.nth(i).get_attribute("id"), (question, focus)
            if i % 2:
                page.keyboard.press("ArrowRight")  # moves to No and chooses it
                answers[question] = "no"
            else:
                page.keyboard.press("Space")  # chooses Yes
                answers[question] = "yes"
            last.filter(has_text=f"{question}: no answer -> ").wait_for(timeout=30_000)
            assert in_viewport(summary.bounding_box()), (question, summary.bounding_box())
            assert in_viewport(last.bounding_box())
            position = scroller.evaluate("e => e.scrollTop")
            top = position if top is None else top
            assert position == top, f"the notebook scrolled while answering {question}"
            if i + 1 < len(questions):
                for _ in range(12):  # Tab past Prompts and the note to the next question
                    page.keyboard.press("Tab")
                    focus = page.evaluate(FOCUS)
                    if focus["type"] == "radio" and focus["group"] != groups.nth(i).get_attribute(
                        "id"
                    ):
                        break
        form.get_by_text(re.compile(r"Complete")).first.wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts / "inspect-screen-keyboard.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "inspect-screen-keyboard-failure.png"))
        raise
    store = open_store(url)
    saved = store.case_judgements("keyboard-2026", case)
    store.close()
    assert {q: j.answer for q, j in saved.items()} == answers
    assert {j.inspector for j in saved.values()} == {"e2e inspector"}


def test_notebook_shortcuts_typed_on_an_answer_change_no_cell(
    tmp_path, jupyterlab_server, browser, artifacts
):
    home = tmp_path / "home"
    url = demo_store(home)
    server = serve_inspect(tmp_path, jupyterlab_server, home)
    page = browser.new_page(width=WIDTH, height=HEIGHT)
    try:
        open_and_run(page, server)
        screen = page.locator(".wb-workbook").first
        form = screen.locator(".wb-judgement-form").first
        form.locator("h3", has_text="Case D19-CS-001").wait_for(timeout=60_000)
        radio = form.get_by_role("radio").first
        radio.focus()
        cells = notebook_cells(page)
        assert [c["type"] for c in cells] == ["markdown", "code", "markdown"]
        assert [c["active"] for c in cells] == [False, True, False]  # the workbook's cell
        store = open_store(url)
        answers = {
            q: j.answer for q, j in store.case_judgements("demo-wwm-2019", "D19-CS-001").items()
        }
        store.close()

        for key in SHORTCUTS:
            page.keyboard.press(key)
            page.wait_for_timeout(150)
        page.wait_for_timeout(1000)  # past Lumino's chord timeout

        assert notebook_cells(page) == cells  # same cells, types, sources, prompts, active one
        assert page.evaluate(FOCUS)["inWorkbook"]
        assert radio.evaluate("e => e === document.activeElement")

        # arrow keys move within the case list and the filter drop-downs
        cases = screen.locator(".wb-case-navigator .widget-select select").first
        cases.focus()
        before = cases.input_value()
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "([e, v]) => e.value !== v", arg=[cases.element_handle(), before], timeout=10_000
        )
        form.locator("h3", has_text="Case D19-CS-002").wait_for(timeout=30_000)
        state = screen.get_by_role("combobox", name="Status")
        state.focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "e => e.selectedIndex === 1", arg=state.element_handle(), timeout=10_000
        )
        assert notebook_cells(page) == cells

        # Escape leaves the workbook: focus on its cell, the notebook in command mode
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => document.activeElement.classList.contains('jp-Cell')", timeout=10_000
        )
        assert not page.evaluate(FOCUS)["inWorkbook"]
        page.keyboard.press("Control+s")
        page.get_by_text(re.compile(r"Saving completed|Saved")).first.wait_for(
            state="attached", timeout=20_000
        )
    except Exception:
        page.screenshot(path=str(artifacts / "inspect-screen-shortcuts-failure.png"))
        raise
    saved, stored = saved_notebook(server), nbformat.read(NOTEBOOK, as_version=4)
    assert [(c.cell_type, c.source) for c in saved.cells] == [
        (c.cell_type, c.source) for c in stored.cells
    ]
    store = open_store(url)
    after = {q: j.answer for q, j in store.case_judgements("demo-wwm-2019", "D19-CS-001").items()}
    store.close()
    assert after == answers  # the letters typed chose no answer either
