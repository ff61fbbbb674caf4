"""The Markdown exports rendered as nbconvert renders Markdown, in headless Chromium: the hostile
LDU names and discretion reasons fire no script and leave no live ``javascript:`` link."""

from __future__ import annotations

from nbconvert.filters import markdown2html

from tests.report.test_writers import hostile_export
from workbook import report
from workbook.cli import main

PAGE = "<!doctype html><html><head><meta charset='utf-8'></head><body>{}</body></html>"


def _load(browser, markdown: str) -> dict:
    """Render ``markdown`` to HTML as nbconvert does, load it, and report what it did."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(PAGE.format(markdown2html(markdown)), wait_until="load")
    page.wait_for_timeout(300)  # an <img onerror> fires once the broken image fails
    found = page.evaluate(
        """() => ({
            hrefs: [...document.querySelectorAll('[href], [src]')]
                .map(e => e.getAttribute('href') || e.getAttribute('src')),
            handlers: [...document.querySelectorAll('*')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
            text: document.body.innerText,
        })"""
    )
    page.close()
    return {"dialogs": dialogs, **found}


def _assert_harmless(seen: dict) -> None:
    assert seen["dialogs"] == []
    assert seen["handlers"] == []
    assert [h for h in seen["hrefs"] if "javascript:" in h.lower()] == []
    # no link or image comes from a cell: only nbconvert's anchors on the headings
    assert [h for h in seen["hrefs"] if not h.startswith("#")] == []
    # the payloads are shown as the text they are
    assert "<img src=x onerror=alert(1)>" in seen["text"]
    assert "[x](javascript:alert(1))" in seen["text"]


def test_the_markdown_export_is_inert_in_a_browser(tmp_path, browser):
    _, _, tables, markdown = hostile_export(tmp_path / "in")
    (path,) = report.write_tables(tables, tmp_path / "out", ("md",), markdown=markdown)
    _assert_harmless(_load(browser, path.read_text(encoding="utf-8")))


def test_rate_markdown_is_inert_in_a_browser(tmp_path, browser, capsys):
    from tests.report.test_writers import hostile_files

    files = hostile_files(tmp_path / "in")
    args = [str(files["judgements"]), "--cases", str(files["cases"])]
    args += ["--decisions", str(files["decisions"]), "--by", "ldu", "--format", "markdown"]
    assert main(["rate", *args]) == 0
    _assert_harmless(_load(browser, capsys.readouterr().out))
