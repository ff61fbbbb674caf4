"""End to end in a real browser: JupyterLab on 127.0.0.1 with a token, Debian's Chromium driven
by Playwright opens notebooks/inspect.ipynb, runs all cells, answers one key question of the
demo inspection so that a standard's band changes, and checks the summary beside the form and
the board (its tab) show the new band. Screenshots go to the ``artifacts`` folder; the page
must make no request to another host. ``serve_inspect`` and ``open_and_run`` are shared with the
other tests of the inspectors' page."""

import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.servers import lab_settings_args, run_all_cells
from workbook.config import DEMO_INSPECTION
from workbook.demo import ensure_demo
from workbook.ratings import rate
from workbook.store import open_store

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "inspect.ipynb"
FLIP = {"yes": "no", "no": "yes"}
WORDS = {"yes": "Yes", "no": "No"}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def serve_inspect(tmp_path, jupyterlab_server, home, env=None):
    """JupyterLab serving a copy of notebooks/inspect.ipynb (every cell kept in the page, no
    news pop-up), with WORKBOOK_HOME=home; returns the server."""
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / "inspect.ipynb")
    return jupyterlab_server(
        root,
        env={
            "WORKBOOK_HOME": str(home),
            "WORKBOOK_EXPORTS": str(tmp_path / "exports"),
            "WORKBOOK_INSPECTOR": "e2e inspector",
            **(env or {}),
        },
        args=lab_settings_args(tmp_path / "lab-settings"),
    )


def open_and_run(page, server):
    """Open inspect.ipynb, choose Run > Run All Cells (the one thing the notebook asks) and
    wait for the workbook's screen and its summary."""
    run_all_cells(
        page, server, "inspect.ipynb", lambda p: p.locator(".jp-InputPrompt", has_text="[1]").first
    )
    page.locator(".wb-workbook").first.wait_for(timeout=90_000)
    page.locator(".wb-workbook[data-lm-suppress-shortcuts]").first.wait_for(timeout=30_000)
    page.locator(".wb-case-summary .wb-summary").first.wait_for(timeout=60_000)


def answer_control(scope, question: str, word: str):
    """The radio of ``word`` in the key question's group, found by role and name."""
    group = scope.get_by_role("group", name=re.compile(rf"^{re.escape(question)}\b"))
    return group.get_by_role("radio", name=word, exact=True)


def a_change_that_moves_a_band(store, name):
    """(case, key question, new answer, standard, band before, band after): the first answer of
    the first case (in the list's order) whose change moves a standard's whole-sample rating."""
    fw = store.framework(name)
    cases = store.cases(name)
    judgements = store.judgements(name)[["case_id", "question", "answer"]].astype(str)
    decisions = store.decisions(name)
    before = rate(fw, judgements, decisions)
    for case in cases["case_id"]:
        mine = judgements[judgements["case_id"] == case]
        for i, row in mine.iterrows():
            if row["answer"] not in FLIP:
                continue
            changed = judgements.copy()
            changed.loc[i, "answer"] = FLIP[row["answer"]]
            after = rate(fw, changed, decisions)
            sid = fw.key_question(row["question"]).standard_id
            if after.standards[sid].rating != before.standards[sid].rating:
                return (
                    case,
                    row["question"],
                    FLIP[row["answer"]],
                    sid,
                    before.standards[sid].rating,
                    after.standards[sid].rating,
                )
    raise AssertionError("no single answer moves a standard's band")


def test_answering_a_key_question_in_jupyterlab_moves_the_board(
    tmp_path, jupyterlab_server, browser, artifacts
):
    home = tmp_path / "home"
    store = open_store(f"sqlite:///{home / 'workbook.db'}")
    ensure_demo(store)
    case, question, answer, standard, band_before, band_after = a_change_that_moves_a_band(
        store, DEMO_INSPECTION
    )
    store.close()

    server = serve_inspect(tmp_path, jupyterlab_server, home)

    page = browser.new_page(width=1400, height=1100)
    try:
        drive(page, server, case, question, answer, standard, band_before, band_after, artifacts)
    except Exception:
        page.screenshot(path=str(artifacts / "inspect-failure.png"))
        (artifacts / "inspect-failure.html").write_text(page.content())
        raise

    check = open_store(f"sqlite:///{home / 'workbook.db'}")
    saved = check.case_judgements(DEMO_INSPECTION, case)[question]
    check.close()
    assert (saved.answer, saved.inspector) == (answer, "e2e inspector")
    assert browser.traffic.foreign_requests() == []
    assert not [
        e for e in browser.traffic.console_errors if "vega" in e.lower() or "widget" in e.lower()
    ]


def drive(page, server, case, question, answer, standard, band_before, band_after, artifacts):
    """Open the notebook, run all cells, answer the key question and wait for the summary and
    the board."""
    open_and_run(page, server)
    form = page.locator(".wb-judgement-form").first
    if case != "D19-CS-001":  # pick the case in the navigator's list, as an inspector would
        nav = page.locator(".wb-case-navigator .widget-select select").first
        value = nav.locator("option", has_text=case).first.get_attribute("value", timeout=60_000)
        nav.select_option(value=value)
    form.locator("h3", has_text=f"Case {case}").wait_for(state="attached", timeout=60_000)
    summary = page.locator(".wb-case-summary").first
    cell = summary.locator(
        f"tbody[data-standard='{standard}'] tr[data-group='All cases'] .wb-band"
    ).first
    assert cell.inner_text() == band_before

    answer_control(form, question, WORDS[answer]).check()

    summary.locator(
        f"tbody[data-standard='{standard}'] tr[data-group='All cases'] .wb-band",
        has_text=band_after,
    ).first.wait_for(timeout=60_000)
    assert f"{standard} in all cases: {band_before}" in summary.inner_text()
    page.screenshot(path=str(artifacts / "inspect-form.png"))

    page.get_by_role("tab", name="Ratings").click()
    moved = page.locator(
        f"td[data-standard='{standard}'][data-group='All cases'][data-band='{band_after}']"
    ).first
    moved.wait_for(timeout=60_000)
    assert band_after in moved.inner_text()
    page.locator(".wb-ratings-board .vega-embed").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "inspect-board.png"))
