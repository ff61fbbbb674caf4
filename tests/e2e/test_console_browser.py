"""The *Team* tab (the lead inspector's console) and the *Quality assurance* tab (the quality
lead's panel) in a real JupyterLab on 127.0.0.1 (Debian's Chromium through Playwright, at
1280x800), served as the lead inspector running notebooks/inspect.ipynb on a SQLite store.

The store (through its API, not the page) holds the demo inspection with a team: a lead
inspector, a quality lead, two inspectors and a local assessor; the cases allocated evenly
(seeded); two of each inspector's cases signed off; a dip sample drawn by the quality lead; a
query opened on one of its judgements; a case flagged "probe further"; a second rater whose
second rating disagrees with the first answer on one key question (and agrees on others).

1. axe-core (tests/e2e/axe.py) on each tab, in the workbook's own markup: nothing serious or
   critical.
2. From the keyboard alone (arrows and Enter on the tab bar; Tab, arrows, typing, Enter and
   Space on the controls), the lead allocates one case to another inspector with the
   "Allocate this case" controls and adjudicates the disagreement (the final answer, a reason,
   the button); the store has the new allocation and the adjudication (both originals, the
   reason, the final in the judgements), and the page says so in its status line.
3. Every table on either tab has a caption (its column headings wrap between words only),
   and every control is found by its role and accessible name.
4. Neither tab scrolls sideways: not the document, not the notebook's scroller, not the
   workbook itself (a wide data table may scroll inside its own box, which reflow allows;
   those boxes are listed in the artifacts, not failed).
5. Screenshots of both tabs go to the ``artifacts`` folder.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.test_inspect_e2e import open_and_run
from tests.e2e.test_team_browser import serve
from workbook.config import DEMO_INSPECTION
from workbook.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = DEMO_INSPECTION
WIDTH, HEIGHT = 1280, 800
LEAD, QUALITY, ALICE, BOB, CAROL = "lead", "quinn", "alice", "bob", "carol"
MEMBERS = ((QUALITY, "quality lead"), (ALICE, "inspector"), (BOB, "inspector"))
MEMBERS += ((CAROL, "local assessor"),)
QUERY = "Is the victim's view recorded in the plan?"
PROBE = "The risk review looks late: probe the case manager on it."
REASON = "The plan names no victim contact: the second rater is right."
WORDS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}
OPPOSITE = {"yes": "no", "no": "yes"}

# Each tab's controls by role and accessible name (exact), as the lead sees them.
CONSOLE_CONTROLS = {
    "spinbutton": ["Seed"],
    "combobox": [
        "Case",
        "Allocate to",
        "Case for a second rating",
        "Second rater",
        "Disagreement",
        "Final answer",
    ],
    "textbox": ["Reason"],
    "button": [
        "Allocate the unallocated cases evenly",
        "Allocate this case",
        "Assign the second rater",
        "Adjudicate",
    ],
}
QA_CONTROLS = {
    "spinbutton": ["Seed", "Cases to draw", "At least this many of each inspector's"],
    "combobox": ["Case", "About", "Query to resolve"],
    "textbox": ["Query", "Resolution"],
    "button": [
        "Draw a dip sample",
        "Open the query",
        "Mark the case quality assured",
        "Resolve the query",
    ],
}
CONTROLS = "button, input, select, textarea, summary, a[href], [tabindex]:not([tabindex='-1'])"


@dataclass(frozen=True)
class Team:
    """What the store holds before the page opens."""

    allocation: dict[str, list[str]]
    signed: list[str]
    dip: list[str]
    query_case: str
    probe_case: str
    second_case: str
    question: str  # the disagreement's key question
    first: str
    second: str


def make_team(url: str) -> Team:
    """The team's work on the demo inspection at ``url``, all through the store API."""
    s = open_store(url)
    try:
        s.add_member(NAME, LEAD, "lead inspector", by=LEAD)
        for person, role in MEMBERS:
            s.add_member(NAME, person, role, by=LEAD)
        allocation = s.allocate_evenly(NAME, by=LEAD, seed=7)
        assert sorted(allocation) == [ALICE, BOB, CAROL]
        signed = []
        for person in (ALICE, BOB, CAROL):
            for case in allocation[person][:2]:
                s.sign_off(NAME, case, by=person)
                signed.append(case)
        dip = s.draw_dip_sample(NAME, by=QUALITY, seed=11, size=4, per_inspector=1)
        assert len(dip) == 4 and set(dip) <= set(signed)
        fw, samples = s.framework(NAME), s.cases(NAME).set_index("case_id")["sample"]
        first_kq = fw.standards_for_sample(samples[dip[0]])[0].key_questions[0].id
        s.open_query(NAME, dip[0], QUALITY, QUERY, first_kq)
        probe_case = allocation[ALICE][2]
        s.flag_probe(NAME, probe_case, ALICE, PROBE)
        second_case = allocation[ALICE][3]
        s.set_second_rater(NAME, second_case, BOB, by=LEAD)
        first = {q: j.answer for q, j in s.case_judgements(NAME, second_case).items()}
        rated = [q for q, a in first.items() if a in OPPOSITE][:4]
        assert len(rated) == 4, first
        question = rated[0]
        for q in rated:  # the first differs, the rest agree
            answer = OPPOSITE[first[q]] if q == question else first[q]
            s.save_second_judgement(NAME, second_case, q, answer, BOB)
        return Team(
            allocation=allocation,
            signed=signed,
            dip=dip,
            query_case=dip[0],
            probe_case=probe_case,
            second_case=second_case,
            question=question,
            first=first[question],
            second=OPPOSITE[first[question]],
        )
    finally:
        s.close()


# -- the keyboard -----------------------------------------------------------------------------------


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def active_words(page) -> str:
    """What has the focus, in words (for a failure's message)."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.tagName + ' ' + "
        "((e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || '')"
        ".trim().slice(0, 60); }"
    )


def tab_to(page, target, limit: int = 80, key: str = "Tab") -> int:
    """Press Tab (or ``key``) until ``target`` has the focus; how many presses it took."""
    for presses in range(limit + 1):
        if is_focused(target):
            return presses
        page.keyboard.press(key)
    raise AssertionError(
        f"{limit} presses of {key} never reached the control ({active_words(page)})"
    )


# ipywidgets writes an option's spaces as no-break spaces; the text read back has plain ones.
OPTION_TEXT = "o => o.text.replace(/\\u00a0/g, ' ')"


def selected_text(select) -> str:
    return select.evaluate(
        f"s => s.selectedIndex < 0 ? '' : ({OPTION_TEXT})(s.options[s.selectedIndex])"
    )


def arrow_to(page, select, text: str) -> None:
    """With ``select`` focused, press the arrow keys until the option ``text`` is chosen."""
    assert is_focused(select)
    want = select.evaluate(
        f"(s, t) => [...s.options].findIndex(o => ({OPTION_TEXT})(o) === t)", text
    )
    assert want >= 0, f"no option {text!r}"
    now = select.evaluate("s => s.selectedIndex")
    for _ in range(abs(want - now)):
        page.keyboard.press("ArrowDown" if want > now else "ArrowUp")
    assert selected_text(select) == text


def open_tab_by_keyboard(page, title: str) -> None:
    """Focus the tab bar's tab in front, move with the arrow keys to ``title``, press Enter."""
    screen = page.locator(".wb-workbook").first
    screen.get_by_role("tab", selected=True).first.focus()
    target = screen.get_by_role("tab", name=title, exact=True)
    tab_to(page, target, limit=10, key="ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "t => [...document.querySelectorAll('.wb-workbook [role=tab]')]"
        ".some(e => e.textContent.trim() === t && e.getAttribute('aria-selected') === 'true')",
        arg=title,
        timeout=10_000,
    )


def settle(page) -> None:
    """Let the page's live follower (every 0.5 s) take in the page's own change and redraw."""
    page.wait_for_timeout(2_000)


# -- what is checked on each tab -------------------------------------------------------------------


def named_controls(panel, expected: dict[str, list[str]]) -> None:
    """Each expected control is there, found by role and name; no control is left unnamed."""
    for role, names in expected.items():
        for name in names:
            found = panel.get_by_role(role, name=name, exact=True)
            assert found.count() == 1, (role, name, found.count())
            assert found.is_visible(), (role, name)
    unnamed = panel.evaluate(
        """(el, sel) => [...el.querySelectorAll(sel)].filter(c => c.offsetParent !== null)
            .filter(c => !(c.getAttribute('aria-label') || (c.labels && c.labels.length
                && [...c.labels].some(l => l.textContent.trim())) || c.textContent.trim()
                || c.getAttribute('title')))
            .map(c => c.outerHTML.slice(0, 120))""",
        CONTROLS,
    )
    assert unnamed == [], unnamed


def captions(panel) -> list[str]:
    """Every table's caption (an empty string where one has none)."""
    return panel.evaluate(
        "el => [...el.querySelectorAll('table')].map(t => t.caption ? t.caption.textContent.trim() : '')"
    )


SIDEWAYS = """(el) => {
    const root = document.documentElement;
    const scrollers = [];
    for (let e = el.parentElement; e; e = e.parentElement)
        if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
            scrollers.push({cls: String(e.className).slice(0, 80), scroll: e.scrollWidth,
                            client: e.clientWidth});
    const inside = [...el.querySelectorAll('*')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
            && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
        .map(e => ({cls: String(e.className).slice(0, 80), scroll: e.scrollWidth,
                    client: e.clientWidth,
                    caption: (e.querySelector('caption') || {}).textContent || '',
                    over: [...e.children].filter(c => c.getBoundingClientRect().right
                            > e.getBoundingClientRect().left + e.clientWidth + 0.5)
                        .map(c => ({cls: String(c.className).slice(0, 120),
                                    width: c.getBoundingClientRect().width,
                                    margin: getComputedStyle(c).margin}))}));
    return {document: {scroll: root.scrollWidth, client: root.clientWidth},
            workbook: {scroll: el.scrollWidth, client: el.clientWidth}, scrollers, inside};
}"""


def no_sideways_scroll(page) -> dict:
    """The widths of the document, of every box the workbook sits in that could scroll (the
    output area, the notebook) and of the workbook itself: none wider than its box. Returns
    them, and the boxes inside the workbook scrolling by themselves, for the artifacts."""
    found = page.locator(".wb-workbook").first.evaluate(SIDEWAYS)
    assert found["scrollers"], found  # the notebook's own scroller at least
    for box in [found["document"], found["workbook"], *found["scrollers"]]:
        assert box["scroll"] <= box["client"], found
    tab = [box for box in found["inside"] if "wb-console__scroll" not in box["cls"]]
    assert tab == [], tab  # only a data table's own box may scroll sideways (reflow allows it)
    return found


BROKEN_HEADINGS = """el => {
    const broken = [];
    for (const th of el.querySelectorAll('table thead th')) {
        const node = th.firstChild;
        if (!node || node.nodeType !== Node.TEXT_NODE) continue;
        for (const m of node.textContent.matchAll(/\\S+/g)) {
            const r = document.createRange();
            r.setStart(node, m.index);
            r.setEnd(node, m.index + m[0].length);
            if (r.getClientRects().length > 1)
                broken.push(th.closest('table').caption.textContent + ': ' + m[0]);
        }
    }
    return broken;
}"""


def check_tab(page, panel, expected: dict, artifacts, tag: str) -> dict:
    """Captions, names, no sideways scroll and axe on the tab in front; its screenshots."""
    panel.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(500)
    cap = captions(panel)
    assert cap and all(cap), cap
    named_controls(panel, expected)
    broken = panel.evaluate(BROKEN_HEADINGS)  # a column heading wraps between its words only
    assert broken == [], broken
    widths = no_sideways_scroll(page)
    violations = axe_violations(page, within=".wb-workbook")
    panel.locator("h2").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"{tag}.png"))
    return {"captions": cap, "widths": widths, "axe": violations}


# -- the lead's actions from the keyboard ----------------------------------------------------------


def allocate_by_keyboard(page, console, team: Team) -> tuple[str, str, str]:
    """Tab to the "Case" list, arrow to its second case, Tab to "Allocate to", arrow to an
    inspector other than the case's, Tab to "Allocate this case", press Enter. Returns (case,
    from, to)."""
    case_list = console.get_by_role("combobox", name="Case", exact=True)
    tab_to(page, case_list)
    page.keyboard.press("ArrowDown")
    chosen = selected_text(case_list)  # "D19-CS-002 (bob)": the option's value is its index
    case = chosen.split()[0]
    owners = [p for p, cases in team.allocation.items() if case in cases]
    assert len(owners) == 1, (chosen, owners)
    owner = owners[0]
    assert chosen.startswith(case) and owner in chosen, (chosen, owner)
    target = BOB if owner != BOB else ALICE
    page.keyboard.press("Tab")
    people = console.get_by_role("combobox", name="Allocate to", exact=True)
    assert is_focused(people), active_words(page)
    arrow_to(page, people, target)
    page.keyboard.press("Tab")
    assert is_focused(console.get_by_role("button", name="Allocate this case", exact=True)), (
        active_words(page)
    )
    page.keyboard.press("Enter")
    status = console.get_by_role("status").filter(has_text=f"Case {case} allocated to {target}.")
    status.wait_for(state="visible", timeout=30_000)
    return case, owner, target


def adjudicate_by_keyboard(page, console, team: Team) -> None:
    """Tab on to "Disagreement" (its one disagreement chosen), Tab to "Final answer", arrow to
    the second rater's answer, Tab to "Reason", type it, Tab to "Adjudicate", press Space."""
    disagreement = console.get_by_role("combobox", name="Disagreement", exact=True)
    tab_to(page, disagreement, limit=120)
    chosen = selected_text(disagreement)
    assert chosen.startswith(f"{team.second_case} {team.question}:"), chosen
    assert f"{BOB} {WORDS[team.second]}" in chosen, chosen
    page.keyboard.press("Tab")
    final = console.get_by_role("combobox", name="Final answer", exact=True)
    assert is_focused(final), active_words(page)
    arrow_to(page, final, WORDS[team.second])
    page.keyboard.press("Tab")
    assert is_focused(console.get_by_role("textbox", name="Reason", exact=True)), active_words(page)
    page.keyboard.type(REASON)
    page.keyboard.press("Tab")
    assert is_focused(console.get_by_role("button", name="Adjudicate", exact=True)), active_words(
        page
    )
    page.keyboard.press("Space")
    done = f"Case {team.second_case} {team.question}: final answer {WORDS[team.second]}."
    console.get_by_role("status").filter(has_text=done).wait_for(state="visible", timeout=30_000)


def test_the_team_and_quality_assurance_tabs_by_keyboard_with_no_serious_violation(
    tmp_path, demo_db, jupyterlab_server, browser, artifacts
):
    team = make_team(demo_db)
    server = serve(tmp_path, jupyterlab_server, LEAD, demo_db, "lead")
    page = browser.new_page(width=WIDTH, height=HEIGHT)
    report: dict = {"team": asdict(team)}
    try:
        open_and_run(page, server)
        screen = page.locator(".wb-workbook").first
        titles = screen.get_by_role("tab").all_inner_texts()
        assert "Team" in titles and "Quality assurance" in titles, titles

        open_tab_by_keyboard(page, "Team")
        console = screen.locator(".wb-console").first
        report["Team"] = check_tab(page, console, CONSOLE_CONTROLS, artifacts, "console-team")
        assert "Queries not yet resolved" in report["Team"]["captions"]
        assert 'Cases flagged "probe further"' in report["Team"]["captions"]
        probe_row = console.locator("table[data-table='probes'] tbody tr")
        assert probe_row.filter(has_text=team.probe_case).filter(has_text=PROBE).count() == 1

        moved = allocate_by_keyboard(page, console, team)
        settle(page)
        page.screenshot(path=str(artifacts / "console-team-allocated.png"))
        adjudicate_by_keyboard(page, console, team)
        settle(page)
        adjudicated = console.locator("table[data-table='disagreements'] tbody tr").filter(
            has_text=team.second_case
        )
        assert f"{WORDS[team.second]}, by {LEAD}: {REASON}" in adjudicated.inner_text()
        console.get_by_role("button", name="Adjudicate", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "console-team-adjudicated.png"))

        open_tab_by_keyboard(page, "Quality assurance")
        qa = screen.locator(".wb-qa-panel").first
        report["Quality assurance"] = check_tab(page, qa, QA_CONTROLS, artifacts, "console-qa")
        assert report["Quality assurance"]["captions"] == [
            "The dip sample's cases",
            "Queries not yet resolved",
        ]
        dip_rows = qa.locator("table[data-table='dip-sample'] tbody th[scope='row']")
        assert sorted(dip_rows.all_inner_texts()) == sorted(team.dip)
        assert qa.locator("table[data-table='qa-queries']").filter(has_text=QUERY).count() == 1
        qa.get_by_role("button", name="Resolve the query").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "console-qa-bottom.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "console-failure.png"))
        (artifacts / "console-failure.html").write_text(page.content())
        raise
    finally:
        (artifacts / "console-browser.json").write_text(json.dumps(report, indent=1))

    check_store(demo_db, team, moved)
    assert report["Team"]["axe"] == [], report["Team"]["axe"]
    assert report["Quality assurance"]["axe"] == [], report["Quality assurance"]["axe"]


def check_store(url: str, team: Team, moved: tuple[str, str, str]) -> None:
    """The store has what the keyboard did: the case's new allocation (in the history too) and
    the adjudication with both originals, the reason and the final in the judgements."""
    case, owner, target = moved
    s = open_store(url, read_only=True)
    try:
        assert s.case_status(NAME, case).allocated_to == target
        moves = [h for h in s.history(NAME, case) if h.entity == "allocation"]
        assert moves and (moves[-1].by, moves[-1].old, moves[-1].new) == (LEAD, owner, target)
        adjudications = s.adjudications(NAME)
        final = s.case_judgements(NAME, team.second_case)[team.question]
    finally:
        s.close()
    assert len(adjudications) == 1, adjudications
    row = adjudications.iloc[0]
    assert (str(row.case_id), str(row.question)) == (team.second_case, team.question)
    assert (row.first, row.second, row.final) == (team.first, team.second, team.second)
    assert (row.reason, row.by) == (REASON, LEAD)
    assert final.answer == team.second
