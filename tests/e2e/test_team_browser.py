"""A team on one PostgreSQL, end to end: two real JupyterLab servers on 127.0.0.1 (one per
inspector: a different ``WORKBOOK_INSPECTOR``, the same ``WORKBOOK_DB``), two Chromium pages
(Playwright), each running notebooks/inspect.ipynb on the demo inspection with a team made
through the store API (a lead inspector, a quality lead, "inspector a" and "inspector b", the
cases reallocated between the two inspectors).

1. Inspector a answers a key question of one of a's cases; b's ratings board shows the moved
   band with no click (the seconds are measured and printed: the issue's target is 3 s, the
   assertion's bound is generous for a shared 2-core CI machine).
2. b opens a's case: the form is read-only and says it is allocated to inspector a; every
   radio is disabled and a forced click saves nothing; the store refuses b's save too, naming
   the rule (``not_allocated``) and who has the case.
3. The quality lead's query, opened through the store API on a's case and key question, appears
   on a's form with its text, with no click (the page's live follower).
4. Neither page sends a request anywhere but its own server.

Screenshots go to the ``artifacts`` folder, and the measured seconds to ``team-live.json``.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass

import pytest

from tests.e2e.servers import Traffic, lab_settings_args
from tests.e2e.test_inspect_e2e import (
    NOTEBOOK,
    WORDS,
    a_change_that_moves_a_band,
    answer_control,
    open_and_run,
)
from workbook.config import DEMO_INSPECTION
from workbook.demo import ensure_demo
from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = DEMO_INSPECTION
LEAD, QUALITY, A, B = "lead inspector", "quality lead", "inspector a", "inspector b"
QUERY = "Is the victim's view recorded in the plan? Please check the risk review."
TARGET_S = 3.0  # the target: a colleague's save on my board within 3 s
BOUND_S = 15.0  # what the test asserts (CI: 2 cores shared by two servers, two kernels, Chromium)


@dataclass(frozen=True)
class Change:
    """A's case and the answer that moves a standard's whole-sample band."""

    case: str
    question: str
    answer: str
    standard: str
    before: str
    after: str


def make_team(url: str) -> Change:
    """The demo inspection on ``url`` with a team (through the store API, not the page). The
    demo's case list allocates its cases to "inspector 1".."inspector 5" (not members): the
    lead reallocates them, alternately, to the two inspectors, the case whose answer moves a
    band to inspector a."""
    store = open_store(url)
    try:
        ensure_demo(store)
        change = Change(*a_change_that_moves_a_band(store, NAME))
        store.add_member(NAME, LEAD, "lead inspector", by=LEAD)
        store.add_member(NAME, QUALITY, "quality lead", by=LEAD)
        for person in (A, B):
            store.add_member(NAME, person, "inspector", by=LEAD)
        others = [c for c in store.cases(NAME)["case_id"] if c != change.case]
        store.allocate(NAME, change.case, A, by=LEAD)
        for i, case in enumerate(others):
            store.allocate(NAME, case, (B, A)[i % 2], by=LEAD)
        work = store.case_work(NAME)
        assert {w.allocated_to for w in work.values()} == {A, B}
        assert work[change.case].allocated_to == A
        return change
    finally:
        store.close()


def serve(tmp_path, jupyterlab_server, person: str, url: str, tag: str):
    """JupyterLab serving a copy of notebooks/inspect.ipynb as ``person`` on the store ``url``."""
    root = tmp_path / f"lab-{tag}"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / "inspect.ipynb")
    return jupyterlab_server(
        root,
        env={
            "WORKBOOK_HOME": str(tmp_path / f"home-{tag}"),
            "WORKBOOK_EXPORTS": str(tmp_path / f"exports-{tag}"),
            "WORKBOOK_INSPECTOR": person,
            "WORKBOOK_DB": url,
            "WORKBOOK_INSPECTION": NAME,
        },
        args=lab_settings_args(tmp_path / f"lab-settings-{tag}"),
    )


def pick_case(page, case: str):
    """Pick ``case`` in the page's case list, as an inspector would; returns the form."""
    form = page.locator(".wb-judgement-form").first
    heading = form.locator("h3", has_text=f"Case {case}")
    if heading.count() == 0:
        nav = page.locator(".wb-case-navigator .widget-select select").first
        option = nav.locator("option", has_text=case).first
        nav.select_option(value=option.get_attribute("value", timeout=60_000))
    heading.wait_for(state="attached", timeout=60_000)
    return form


def board_cell(page, change: Change, band: str):
    """The ratings board's whole-sample cell of the changed standard showing ``band``."""
    return page.locator(
        f".wb-ratings-board td[data-standard='{change.standard}']"
        f"[data-group='All cases'][data-band='{band}']"
    ).first


def seconds_until(locator, timeout_s: float, t0: float) -> float:
    """Wait for ``locator`` to be visible; the seconds since ``t0`` (time.monotonic())."""
    locator.wait_for(state="visible", timeout=timeout_s * 1000)
    return time.monotonic() - t0


def enabled_radios(scope) -> int:
    """How many radios under ``scope`` can be chosen (a disabled fieldset disables its own)."""
    return scope.evaluate(
        "el => [...el.querySelectorAll('input[type=radio]')]"
        ".filter(r => !r.matches(':disabled')).length"
    )


def test_two_inspectors_and_a_quality_lead_on_one_postgresql(
    tmp_path, pg_url, jupyterlab_server, browser, artifacts
):
    change = make_team(pg_url)
    server_a = serve(tmp_path, jupyterlab_server, A, pg_url, "a")
    server_b = serve(tmp_path, jupyterlab_server, B, pg_url, "b")
    traffic_a, traffic_b = Traffic(), Traffic()
    page_a = browser.new_page(width=1400, height=1100, traffic=traffic_a)
    page_b = browser.new_page(width=1400, height=1100, traffic=traffic_b)
    figures: dict[str, float] = {}
    try:
        open_and_run(page_a, server_a)
        open_and_run(page_b, server_b)
        form_a = pick_case(page_a, change.case)
        figures.update(colleague_save_reaches_the_board(page_a, page_b, form_a, change))
        page_b.screenshot(path=str(artifacts / "team-b-board.png"))
        b_cannot_change_as_case(page_b, pg_url, change)
        page_b.screenshot(path=str(artifacts / "team-b-read-only.png"))
        figures.update(query_reaches_the_form(form_a, pg_url, change))
        form_a.locator(".wb-query", has_text=QUERY).first.scroll_into_view_if_needed()
        page_a.screenshot(path=str(artifacts / "team-a-query.png"))
    except Exception:
        for tag, page in (("a", page_a), ("b", page_b)):
            page.screenshot(path=str(artifacts / f"team-{tag}-failure.png"))
            (artifacts / f"team-{tag}-failure.html").write_text(page.content())
        raise
    report = {**asdict(change), **figures, "target_s": TARGET_S, "bound_s": BOUND_S}
    (artifacts / "team-live.json").write_text(json.dumps(report, indent=1))
    print(
        f"\nteam live: a's save shown saved in {figures['a_saved_s']:.2f} s; on b's board "
        f"after {figures['b_board_s']:.2f} s; the quality lead's query on a's form after "
        f"{figures['query_on_form_s']:.2f} s (target {TARGET_S:.0f} s, bound {BOUND_S:.0f} s)"
    )
    assert figures["b_board_s"] < BOUND_S
    assert figures["query_on_form_s"] < BOUND_S
    assert traffic_a.requests_not_to(server_a.url) == []
    assert traffic_b.requests_not_to(server_b.url) == []


def colleague_save_reaches_the_board(page_a, page_b, form_a, change: Change) -> dict:
    """A answers; B (on the Ratings tab, touching nothing) sees the band move. The seconds
    from a's click to a's "Saved" and to b's board."""
    page_b.get_by_role("tab", name="Ratings", exact=True).click()
    board_cell(page_b, change, change.before).wait_for(state="visible", timeout=60_000)
    radio = answer_control(form_a, change.question, WORDS[change.answer])
    assert radio.is_enabled(), "inspector a's own case must be editable"
    saved = form_a.locator(".wb-save-state.wb-saved")
    t0 = time.monotonic()
    radio.check()
    a_saved = seconds_until(saved.first, BOUND_S * 4, t0)
    b_board = seconds_until(board_cell(page_b, change, change.after), BOUND_S * 4, t0)
    assert board_cell(page_b, change, change.before).count() == 0
    return {"a_saved_s": round(a_saved, 3), "b_board_s": round(b_board, 3)}


def b_cannot_change_as_case(page_b, url: str, change: Change) -> None:
    """B opens a's case: read-only, saying who has it; a forced click and a store save as b
    are both refused, and a's answer stays."""
    page_b.get_by_role("tab", name="Cases", exact=True).click()
    form_b = pick_case(page_b, change.case)
    note = form_b.locator(".wb-inset-text", has_text=f"Allocated to {A}")
    note.first.wait_for(state="visible", timeout=60_000)
    radios = form_b.locator("input[type=radio]")
    assert radios.count() > 0
    assert enabled_radios(form_b) == 0
    other = "no" if change.answer == "yes" else "yes"
    answer_control(form_b, change.question, WORDS[other]).click(force=True, timeout=10_000)
    page_b.wait_for_timeout(1_000)
    assert form_b.locator(".wb-save-state.wb-saved").count() == 0
    store = open_store(url)
    try:
        with pytest.raises(StoreError) as refused:
            store.save_judgement(NAME, change.case, change.question, other, B)
        saved = store.case_judgements(NAME, change.case)[change.question]
    finally:
        store.close()
    assert [p.code for p in refused.value.problems] == [Reason.NOT_ALLOCATED]
    assert f"{change.case} is allocated to {A}: only {A} may" in str(refused.value)
    assert (saved.answer, saved.inspector) == (change.answer, A)
    note.first.scroll_into_view_if_needed()


def query_reaches_the_form(form_a, url: str, change: Change) -> dict:
    """The quality lead opens a query (store API) on a's case and key question; it appears on
    a's form with its text. The seconds from the query's commit to the form."""
    store = open_store(url)
    try:
        t0 = time.monotonic()
        query = store.open_query(NAME, change.case, QUALITY, QUERY, change.question)
    finally:
        store.close()
    assert (query.state, query.question) == ("open", change.question)
    shown = form_a.locator(".wb-query", has_text=QUERY).first
    seconds = seconds_until(shown, BOUND_S * 4, t0)
    heading = shown.locator(".wb-query__heading").inner_text()
    assert f"Open query on {change.question}" in heading and QUALITY in heading
    return {"query_on_form_s": round(seconds, 3)}
