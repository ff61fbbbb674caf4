"""The judgement form in a real JupyterLab (Debian's Chromium through Playwright): each key
question is a group named by its id and text with its answers as radios, the chosen one
announced (checked) and filled at 3:1 or more against the others, its word bold and ticked; a
case is answered by keyboard alone; the focus ring on every kind of control is 2 px or more at
3:1 or more against its background (computed from the page's computed styles); targets are
24 px or more; Prompts opens by Enter and by Space; an error summary ("There is a problem")
takes focus and its link moves focus to the answers; axe-core finds nothing serious or
critical in the form. A small notebook of the test's own shows a form (and a read-only one,
whose saves fail) in a ``.wb-workbook`` box with a few ipywidgets controls."""

from __future__ import annotations

import json
import re
import time

import pandas as pd
import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.servers import code_notebook, lab_settings_args, run_all_cells
from workbook.config import DEMO_INSPECTION
from workbook.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CASE = "E2E-1"  # a new case: nothing answered yet
LOCKED_CASE = "D19-CS-001"
CODE = """\
import ipywidgets as widgets
from workbook.render import style_tag
from workbook.store import open_store
from workbook.ui.inspect.judgement_form import JudgementForm

form = JudgementForm(open_store({url!r}), {name!r}, inspector="e2e inspector", case_id={case!r})
locked = JudgementForm(
    open_store({url!r}, read_only=True), {name!r}, inspector="e2e inspector", case_id={locked!r}
)
locked.add_class("wb-locked")
others = widgets.HBox([
    widgets.Button(description="A button"),
    widgets.Text(description="A text"),
    widgets.Dropdown(options=["one", "two"], description="A list"),
    widgets.Checkbox(description="A check box"),
])
others.add_class("wb-others")
root = widgets.VBox([widgets.HTML(style_tag()), form, others, locked])
root.add_class("wb-workbook")
root
"""

LUMINANCE_JS = """
(el) => {
  const s = getComputedStyle(el);
  let bg = null;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { bg = c; break; }
  }
  return {
    background: s.backgroundColor, color: s.color, fontWeight: s.fontWeight,
    outlineWidth: s.outlineWidth, outlineStyle: s.outlineStyle, outlineColor: s.outlineColor,
    behind: bg || 'rgb(255, 255, 255)',
  };
}
"""


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two CSS colours ``rgb(...)``."""

    def lum(css):
        def channel(v):
            v /= 255
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in _rgb(css))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _px(value: str) -> float:
    return float(value.removesuffix("px") or 0)


def _notebook(root, url: str) -> None:
    code = CODE.format(url=url, name=DEMO_INSPECTION, case=CASE, locked=LOCKED_CASE)
    code_notebook(root / "form.ipynb", code)


def _stored(url: str, case: str) -> dict:
    store = open_store(url)
    try:
        return {q: j.answer for q, j in store.case_judgements(DEMO_INSPECTION, case).items()}
    finally:
        store.close()


def _wait_stored(url: str, case: str, question: str, answer: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if _stored(url, case).get(question) == answer:
            return
        time.sleep(0.1)
    raise AssertionError(f"{question} of {case} not saved as {answer}: {_stored(url, case)}")


def _active(page) -> dict:
    return page.evaluate(
        """() => { const a = document.activeElement;
            return {tag: a.tagName.toLowerCase(), id: a.id, type: a.type || '',
                    value: a.value || '', cls: a.className || '', text: (a.textContent || '').trim().slice(0, 80)}; }"""
    )


def _check_ring(page, element, what: str) -> None:
    """The focused ``element``'s outline: 2 px or more, solid, 3:1 or more against what is behind."""
    style = element.evaluate(LUMINANCE_JS)
    assert _px(style["outlineWidth"]) >= 2, (what, style)
    assert style["outlineStyle"] not in ("none", "hidden"), (what, style)
    assert contrast(style["outlineColor"], style["behind"]) >= 3, (what, style)


@pytest.fixture
def lab_form(tmp_path, demo_db, jupyterlab_server, browser, artifacts):
    store = open_store(demo_db)
    store.import_cases(
        DEMO_INSPECTION,
        pd.DataFrame([{"case_id": CASE, "sample": "case_supervision", "ldu": "Warwickshire"}]),
    )
    store.close()
    root = tmp_path / "lab"
    root.mkdir()
    _notebook(root, demo_db)
    server = jupyterlab_server(
        root,
        env={"WORKBOOK_HOME": str(tmp_path / "home")},
        args=lab_settings_args(tmp_path / "lab-settings"),
    )
    page = browser.new_page(width=1280, height=800)
    try:
        run_all_cells(
            page, server, "form.ipynb", lambda p: p.locator(".wb-answer-control fieldset").first
        )
        page.locator(".wb-locked .wb-answer-control fieldset").first.wait_for(timeout=60_000)
        yield page
    except Exception:
        page.screenshot(path=str(artifacts / "form-failure.png"))
        raise
    assert browser.traffic.foreign_requests() == []


def test_groups_radios_and_the_chosen_answer_are_announced_and_visible(
    lab_form, demo_db, artifacts
):
    page = lab_form
    form = page.locator(".wb-judgement-form").first
    group = form.get_by_role("group", name=re.compile(r"^2\.1\.1 Does assessment focus"))
    assert group.count() == 1
    names = [r.get_attribute("value") for r in group.get_by_role("radio").all()]
    assert names == ["yes", "no"]  # 2.1.1 has no Not applicable
    assert group.get_by_role("radio", name="Yes", exact=True).count() == 1
    subsample = form.get_by_role("group", name=re.compile(r"^2\.2\.3 "))
    assert subsample.get_by_role("radio", name="Not applicable").count() == 1
    groups = form.get_by_role("group", name=re.compile(r"^2\.\d\.\d "))
    assert groups.count() == 12
    assert form.get_by_role("radio", checked=True).count() == 0  # a new case: nothing chosen

    yes = group.get_by_role("radio", name="Yes", exact=True)
    yes.locator("xpath=..").click()  # a click on the answer's label
    _wait_stored(demo_db, CASE, "2.1.1", "yes")
    assert group.get_by_role("radio", name="Yes", checked=True).count() == 1
    assert group.get_by_role("radio", name="No", checked=False).count() == 1
    assert yes.evaluate("el => el.checked")

    chosen = group.locator("label.wb-answer", has=page.locator("input:checked"))
    other = group.locator("label.wb-answer", has=page.locator("input:not(:checked)"))
    c, o = chosen.evaluate(LUMINANCE_JS), other.evaluate(LUMINANCE_JS)
    assert contrast(c["background"], o["background"]) >= 3, (c, o)
    assert contrast(c["color"], c["background"]) >= 4.5, c
    assert contrast(o["color"], o["background"]) >= 4.5, o
    assert int(c["fontWeight"]) >= 700 and int(o["fontWeight"]) < 700
    tick = chosen.locator(".wb-answer__tick").evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert "\u2713" in tick and chosen.locator(".wb-answer__word").inner_text() == "Yes"
    other.hover()
    hover = other.evaluate(LUMINANCE_JS)
    assert contrast(hover["color"], hover["background"]) >= 4.5, hover

    for target in form.locator("label.wb-answer, summary").all()[:10]:
        box = target.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    for target in page.locator(".wb-others button, .wb-others select, .wb-others label").all():
        box = target.bounding_box()
        assert box["height"] >= 24, box
    group.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "form-answers.png"))


def test_a_case_is_answered_by_keyboard_alone_with_a_visible_focus_ring(
    lab_form, demo_db, artifacts
):
    page = lab_form
    form = page.locator(".wb-judgement-form").first
    form.locator("h3", has_text=f"Case {CASE}").click()  # the starting point, no control
    first = form.get_by_role("group", name=re.compile(r"^2\.1\.1 ")).get_by_role("radio").first
    for _ in range(10):
        page.keyboard.press("Tab")
        if _active(page)["id"] == first.get_attribute("id"):
            break
    else:
        raise AssertionError(f"Tab never reached 2.1.1's answers: {_active(page)}")
    _check_ring(page, first.locator("xpath=.."), "a radio's label")

    page.keyboard.press("Space")  # Space chooses the focused answer
    _wait_stored(demo_db, CASE, "2.1.1", "yes")
    page.keyboard.press("ArrowRight")  # an arrow moves to the next answer and chooses it
    _wait_stored(demo_db, CASE, "2.1.1", "no")
    group = form.get_by_role("group", name=re.compile(r"^2\.1\.1 "))
    assert group.get_by_role("radio", name="No", checked=True).count() == 1

    page.keyboard.press("Tab")  # to Prompts: a disclosure opened by Enter and by Space
    active = _active(page)
    assert active["tag"] == "summary" and "Prompts for 2.1.1" in active["text"], active
    summary = form.locator("summary", has_text="Prompts for 2.1.1")
    _check_ring(page, summary, "Prompts")
    details = summary.locator("xpath=..")
    assert not details.evaluate("el => el.open")
    page.keyboard.press("Enter")
    assert details.evaluate("el => el.open")
    assert details.locator("li").first.is_visible()
    page.keyboard.press("Enter")
    assert not details.evaluate("el => el.open")
    page.keyboard.press("Space")
    assert details.evaluate("el => el.open")

    page.keyboard.press("Tab")  # the note
    assert _active(page)["tag"] == "textarea"
    _check_ring(page, form.locator("textarea").first, "a note")
    for question in ("2.1.2", "2.1.3"):  # the next questions: Tab, then an arrow and Space
        page.keyboard.press("Tab")
        active = _active(page)
        assert active["type"] == "radio", active
        page.keyboard.press("Space")
        _wait_stored(demo_db, CASE, question, "yes")
        page.keyboard.press("Tab")
        if _active(page)["tag"] == "summary":
            page.keyboard.press("Tab")
        assert _active(page)["tag"] == "textarea"
    page.screenshot(path=str(artifacts / "form-keyboard.png"))

    # the ring on ipywidgets' own controls in the workbook: button, text, list, check box
    for selector in ("button", "input[type=text]", "select", "input[type=checkbox]"):
        control = page.locator(f".wb-others {selector}").first
        control.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert control.evaluate("el => el === document.activeElement"), selector
        _check_ring(page, control, selector)


def test_an_error_summary_takes_focus_and_links_to_its_field(lab_form, demo_db, artifacts):
    page = lab_form
    locked = page.locator(".wb-locked").first
    group = locked.get_by_role("group", name=re.compile(r"^2\.1\.2 "))
    before = _stored(demo_db, LOCKED_CASE)["2.1.2"]
    other = "No" if before == "yes" else "Yes"
    group.scroll_into_view_if_needed()
    group.get_by_role("radio", name=other, exact=True).locator("xpath=..").click()

    block = locked.locator(".wb-key-question").filter(
        has=page.get_by_role("group", name=re.compile(r"^2\.1\.2 "))
    )
    summary = block.get_by_role("alert")
    summary.wait_for(timeout=30_000)
    assert summary.get_by_role("heading", name="There is a problem").count() == 1
    assert "read-only" in summary.inner_text()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('wb-error-summary')",
        timeout=10_000,
    )
    _check_ring(page, summary, "the error summary")
    assert _stored(demo_db, LOCKED_CASE)["2.1.2"] == before  # nothing saved
    words = {"yes": "Yes", "no": "No"}
    assert group.get_by_role("radio", name=words[before], checked=True).count() == 1  # reverted

    link = summary.get_by_role("link")
    target = link.get_attribute("href").removeprefix("#")
    page.keyboard.press("Tab")
    assert _active(page)["tag"] == "a"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === {json.dumps(target)}")
    assert group.get_by_role("radio").first.get_attribute("id") == target
    page.screenshot(path=str(artifacts / "form-error-summary.png"))

    found = axe_violations(page, within=".wb-judgement-form")
    assert found == [], found
