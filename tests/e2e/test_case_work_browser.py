"""The judgement form's team parts in a real JupyterLab (Chromium through Playwright): the
read-only reason as inset text, the status bar with "Sign off this case", a quality lead's
query with its reply box, the reason asked before a signed case's answer changes, "Probe
further", and a colleague's change warned with "Reload this case": each control reached by
name, and axe-core finds nothing serious or critical in any of them."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.servers import code_notebook, lab_settings_args, run_all_cells
from workbook.config import DEMO_INSPECTION
from workbook.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIGNED = "E2E-T1"  # alice's, signed off, with an open query on 2.1.1
THEIRS = "D19-CS-002"  # allocated to alice: read-only for bob
NA = ("2.2.3", "2.3.3", "2.4.3")
CODE = """\
import ipywidgets as widgets
from workbook.render import style_tag
from workbook.store import open_store
from workbook.ui.inspect.judgement_form import JudgementForm

store = open_store({url!r})
mine = JudgementForm(store, {name!r}, inspector="alice", case_id={signed!r})
mine.add_class("wb-mine")
mine.answer_toggles["2.1.2"].value = "no"  # asks for a reason
entry = store.history({name!r}, {signed!r})[-1]  # quinn's query
mine.apply_changes([entry])
bobs = JudgementForm(store, {name!r}, inspector="bob", case_id={theirs!r})
bobs.add_class("wb-bobs")
root = widgets.VBox([widgets.HTML(style_tag()), mine, bobs])
root.add_class("wb-workbook")
root
"""


def _team(url: str) -> None:
    s, n = open_store(url), DEMO_INSPECTION
    try:
        s.add_member(n, "lead", "lead inspector", by="lead")
        for person, role in (
            ("alice", "inspector"),
            ("bob", "inspector"),
            ("quinn", "quality lead"),
        ):
            s.add_member(n, person, role, by="lead")
        s.import_cases(
            n,
            pd.DataFrame(
                [{"case_id": SIGNED, "sample": "case_supervision", "ldu": "Warwickshire"}]
            ),
        )
        s.allocate(n, SIGNED, "alice", by="lead")
        s.allocate(n, THEIRS, "alice", by="lead")
        for std in s.framework(n).standards_for_sample("case_supervision"):
            for kq in std.key_questions:
                s.save_judgement(
                    n, SIGNED, kq.id, "not_applicable" if kq.id in NA else "yes", "alice"
                )
        s.sign_off(n, SIGNED, by="alice")
        s.open_query(n, SIGNED, "quinn", "Is the victim's view recorded?", "2.1.1")
    finally:
        s.close()


def test_the_team_parts_are_named_keyboard_controls_with_no_serious_violation(
    tmp_path, demo_db, jupyterlab_server, browser, artifacts
):
    _team(demo_db)
    root = tmp_path / "lab"
    root.mkdir()
    code = CODE.format(url=demo_db, name=DEMO_INSPECTION, signed=SIGNED, theirs=THEIRS)
    code_notebook(root / "team.ipynb", code)
    server = jupyterlab_server(
        root,
        env={"WORKBOOK_HOME": str(tmp_path / "home")},
        args=lab_settings_args(tmp_path / "lab-settings"),
    )
    page = browser.new_page(width=1280, height=800)
    try:
        run_all_cells(page, server, "team.ipynb", lambda p: p.locator(".wb-bobs .wb-inset-text"))
        mine, bobs = page.locator(".wb-mine").first, page.locator(".wb-bobs").first
        assert "Allocated to alice" in bobs.locator(".wb-inset-text").inner_text()
        assert bobs.get_by_role("radio").first.is_disabled()
        assert mine.get_by_role("button", name="Sign off this case").count() == 0 or (
            not mine.get_by_role("button", name="Sign off this case").is_visible()
        )
        assert "Complete (signed off)" in mine.locator(".wb-case-status").inner_text()
        reason = mine.get_by_role("textbox", name="Reason for changing 2.1.2")
        assert reason.is_visible()
        assert mine.get_by_role("button", name="Save with this reason").is_visible()
        reply = mine.get_by_role("textbox", name=re.compile(r"^Reply to query \d+"))
        assert reply.count() == 1 and mine.get_by_role("button", name="Send reply").is_visible()
        assert mine.get_by_role("checkbox", name=re.compile("^Probe further")).count() == 1
        assert (
            mine.get_by_role("alert").filter(has_text="quinn opened a query on 2.1.1").count() == 1
        )
        assert mine.get_by_role("button", name="Reload this case").is_visible()
        reason.focus()  # keyboard: the reason, then Tab to its button and Enter saves
        page.keyboard.type("re-read the plan")
        page.keyboard.press("Tab")
        active = page.evaluate("() => document.activeElement.textContent.trim()")
        assert active == "Save with this reason", active
        found = axe_violations(page, within=".wb-workbook")
        (artifacts / "axe-case-work.json").write_text(json.dumps(found, indent=1))
        page.screenshot(path=str(artifacts / "case-work.png"))
        mine.locator("h3").first.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "case-work-top.png"))
        assert found == []
    except Exception:
        page.screenshot(path=str(artifacts / "case-work-failure.png"))
        raise
