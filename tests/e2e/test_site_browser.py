"""The static site served by ``python -m http.server --bind 127.0.0.1``, in headless Chromium:
the LDU and standard selectors (dashboard.js beside the page) work by keyboard under the page's
Content-Security-Policy, with a live region, no violation and no request to another host; one
h1, a main landmark, heatmap headings not cut; the policy refuses inline scripts; without
scripts every view is shown.

The page checks (:func:`outline`, :func:`cut_headings`, :func:`pick_by_keyboard`) are shared
with the Voilà dashboard's tests (``test_dashboard_browser.py``): the two deliveries pass the
same checks."""

from __future__ import annotations

import pytest

from workbook.app.publish import PAGE, SCRIPT, publish_dashboard
from workbook.bench.site import serve
from workbook.report.dashboard import ALL_GROUPS
from workbook.store import open_store

pytestmark = [pytest.mark.browser]
NAME = "demo-wwm-2019"
STATUS = ".wb-view-status"
STANDARDS = [
    "2.1 Assessment",
    "2.2 Planning",
    "2.3 Implementation and delivery",
    "2.4 Reviewing",
    "4.1 Unpaid work",
    "4.2 Through the Gate",
]

# Headings in page order, landmarks and the live region, as a screen reader would list them.
OUTLINE = """() => ({
    headings: [...document.querySelectorAll('h1, h2')]
        .filter(h => h.offsetParent !== null)
        .map(h => h.tagName + ' ' + h.innerText.trim()),
    h1: document.querySelectorAll('h1').length,
    main: [...document.querySelectorAll('main, [role=main]')].map(m => m.contains(document.getElementById('wb-overall'))),
    live: [...document.querySelectorAll('.wb-view-status')].map(e => [e.getAttribute('role'), e.getAttribute('aria-live')]),
})"""
# Every heading of the heatmap, in its table and in its chart: a table heading cut off is one
# whose content is wider than its box; a chart's is one Vega shortened with an ellipsis.
CUT = """() => {
    const cells = [...document.querySelectorAll('.wb-heatmap-table thead th')];
    const cut = cells.filter(c => c.scrollWidth > c.clientWidth).map(c => 'table: ' + c.innerText);
    const svg = document.querySelector('#wb-ldus ~ .wb-pair svg');
    const texts = [...svg.querySelectorAll('text')].map(t => t.textContent);
    cut.push(...texts.filter(t => t.includes('…')).map(t => 'chart: ' + t));
    const words = [...svg.querySelectorAll('text')].map(t => [...t.childNodes].map(n => n.textContent).join(' ')).join(' | ');
    return {cut, headings: cells.map(c => c.innerText.replace(/\\s+/g, ' ').trim()), words: words.replace(/\\s+/g, ' ')};
}"""


def outline(page) -> dict:
    """The page's visible h1 and h2 headings in order, its h1 count, whether each main
    landmark holds the overall rating, and the live region's role and aria-live."""
    return page.evaluate(OUTLINE)


def cut_headings(page) -> list[str]:
    """The heatmap's headings that are cut off (none, when each is whole), and a check that the
    chart's headings hold every LDU's whole name."""
    found = page.evaluate(CUT)
    names = found["headings"][1:]  # the table's headings: Key question, All cases, each LDU
    assert len(names) >= 3, found
    missing = [n for n in names[1:] if n not in found["words"]]
    return found["cut"] + [f"chart lacks: {n}" for n in missing]


def pick_by_keyboard(page, ldu, standard, view, wait_for) -> list[str]:
    """Focus the LDU selector, choose the next LDU with ArrowDown, Tab to the standard selector
    and choose the next standard the same way; after each key the live region must say what is
    shown and ``view`` (the shown view's selector) must show it. Returns what the region said."""
    said = [page.inner_text(STATUS)]
    page.locator(ldu).focus()
    page.keyboard.press("ArrowDown")
    wait_for(said[-1])
    said.append(page.inner_text(STATUS))
    assert page.evaluate("(s) => document.activeElement === document.querySelector(s)", ldu)
    page.keyboard.press("Tab")
    assert page.evaluate("(s) => document.activeElement === document.querySelector(s)", standard)
    page.keyboard.press("ArrowDown")
    wait_for(said[-1])
    said.append(page.inner_text(STATUS))
    shown = page.locator(view).inner_text()
    assert said[-1].removeprefix("Showing ").rstrip(".") in shown
    return said


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(folder, base URL, LDUs) of the demo inspection's site, served on 127.0.0.1."""
    from workbook.demo import ensure_demo

    tmp_path = tmp_path_factory.mktemp("site")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = open_store(url)
    try:
        ensure_demo(store)
        groups = sorted(store.cases(NAME)["ldu"].dropna().unique())
    finally:
        store.close()
    folder = publish_dashboard(NAME, tmp_path / "site", url, suppress_below=5).parent
    with serve(folder) as port:
        yield folder, f"http://127.0.0.1:{port}/", groups


def _violations(traffic) -> list[str]:
    return [m for m in traffic.console_errors if "Content Security Policy" in m]


def _shown(page) -> list[tuple[str, str]]:
    views = page.locator(".wb-view:visible")
    return [
        (views.nth(i).get_attribute("data-group"), views.nth(i).get_attribute("data-standard"))
        for i in range(views.count())
    ]


def test_the_selectors_work_under_the_policy_with_nothing_from_another_host(site, browser):
    folder, base, groups = site
    page = browser.new_page(width=1280, height=800)
    response = page.goto(base + PAGE)
    assert response.status == 200
    assert page.inner_text("#wb-overall") == "Overall rating: Requires improvement"
    page.wait_for_selector("#wb-ldu-picker", state="visible")
    assert _shown(page) == [(ALL_GROUPS, "2.1")]  # all LDUs, the first standard, to start with
    assert page.inner_text(STATUS) == "Showing 2.1 Assessment: all LDUs and the whole sample."
    options = page.locator("#wb-standard-picker option").all_inner_texts()
    assert options == STANDARDS
    for group in groups:
        for sid in ("2.1", "2.4"):
            page.select_option("#wb-ldu-picker", group)
            page.select_option("#wb-standard-picker", sid)
            assert _shown(page) == [(group, sid)]
            assert group in page.inner_text(STATUS) and sid in page.inner_text(STATUS)
            table = page.locator(".wb-view:visible table").inner_text()
            assert group in table and all(g not in table for g in groups if g != group)
    script = [r for r in browser.traffic.responses if r.url.split("?")[0] == base + SCRIPT]
    assert len(script) == 1 and script[0].status == 200
    assert browser.traffic.requests_not_to(base) == []
    assert _violations(browser.traffic) == [] and browser.traffic.console_errors == []


def test_both_selectors_work_by_keyboard_and_say_what_they_show(site, browser):
    folder, base, groups = site
    page = browser.new_page(width=1280, height=800)
    page.goto(base + PAGE)
    page.wait_for_selector("#wb-ldu-picker", state="visible")

    def changed(before):
        page.wait_for_function(
            "(before) => document.querySelector('.wb-view-status').innerText !== before",
            arg=before,
            timeout=10_000,
        )

    said = pick_by_keyboard(
        page, "#wb-ldu-picker", "#wb-standard-picker", ".wb-view:visible", changed
    )
    assert said == [
        "Showing 2.1 Assessment: all LDUs and the whole sample.",
        f"Showing 2.1 Assessment: {groups[0]} and the whole sample.",
        f"Showing 2.2 Planning: {groups[0]} and the whole sample.",
    ]
    assert _shown(page) == [(groups[0], "2.2")]
    # the selectors are labelled, and the focused one has a visible ring
    labels = page.evaluate(
        "() => [...document.querySelectorAll('select')].map(s => [...s.labels].map(l => l.innerText))"
    )
    assert labels == [["LDU"], ["Standard"]]
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert ring == "3px"


def test_one_h1_a_main_landmark_and_every_section_in_order(site, browser):
    folder, base, _ = site
    page = browser.new_page(width=1280, height=800)
    page.goto(base + PAGE)
    page.wait_for_selector("#wb-ldu-picker", state="visible")
    found = outline(page)
    assert found["h1"] == 1 and found["main"] == [True]
    assert found["live"] == [["status", "polite"]]
    assert [h.split(" ", 1)[1] for h in found["headings"]] == [
        "Warwickshire and West Mercia CRC (synthetic demo)",
        "Summary of ratings",
        "How the ratings are formed",
        "Inspection results by key question",
        "Key questions by LDU",
        "One LDU, one standard",
        "The sample",
    ]


def test_the_heatmaps_ldu_headings_are_not_cut(site, browser):
    folder, base, groups = site
    for width in (1280, 1024):
        page = browser.new_page(width=width, height=800)
        page.goto(base + PAGE)
        page.locator("#wb-ldus").wait_for()
        assert cut_headings(page) == [], width
        page.close()
    assert any(len(g) > 22 for g in groups)  # the demo has a long LDU name to wrap


def test_the_policy_refuses_an_inline_script(site, browser):
    """The check above can fail: the same page with an inline script added does not run it,
    and Chromium reports the violation."""
    folder, base, _ = site
    html = (folder / PAGE).read_text(encoding="utf-8")
    probe = html.replace("</body>", '<script>document.title = "inline ran";</script></body>')
    (folder / "probe.html").write_text(probe, encoding="utf-8")
    page = browser.new_page()
    page.goto(base + "probe.html")
    page.wait_for_selector("#wb-ldu-picker", state="visible")  # the page's own script runs
    assert page.title() != "inline ran"
    assert _violations(browser.traffic) != []


def test_without_scripts_every_view_is_shown_under_its_heading(site, browser):
    folder, base, groups = site
    context = browser.browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + PAGE)
        assert len(_shown(page)) == (len(groups) + 1) * len(STANDARDS)
        assert not page.locator("#wb-ldu-picker").is_visible()
        assert page.locator(".wb-view:visible h3").count() == len(_shown(page))
        assert "Overall rating" in page.inner_text("#wb-overall")
    finally:
        context.close()
