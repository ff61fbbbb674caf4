"""``python -m workbook publish``: a static, private HTML dashboard (a page and its script),
written atomically, under a Content-Security-Policy without inline scripts."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import pytest

from workbook.app.publish import PAGE, SCRIPT, site_script, write_atomic, write_site
from workbook.cli import main
from workbook.render.dashboard import site_script_version
from workbook.store import open_store


def _private(url: str) -> list[str]:
    store = open_store(url, read_only=True)
    try:
        cases = store.cases("demo-wwm-2019")
        notes = store.judgements("demo-wwm-2019")["note"].dropna().astype(str)
    finally:
        store.close()
    return sorted(
        set(cases["case_id"]) | {n for n in notes if n.strip()} | set(cases["inspector"].dropna())
    )


@pytest.mark.browser
def test_publish_writes_a_private_page_and_its_script(demo_db, tmp_path, browser, capsys):
    out = tmp_path / "site"
    assert main(["publish", "demo-wwm-2019", "--out", str(out), "--db", demo_db]) == 0
    assert "index.html" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [SCRIPT, PAGE]
    page_html = (out / "index.html").read_text(encoding="utf-8")
    found = [s for s in _private(demo_db) if s in page_html + (out / SCRIPT).read_text()]
    assert found == []
    # nothing to fetch but the script beside the page (SVG namespaces are not requests)
    assert re.findall(r'(?:src|href)="(?!#|data:)[^"]*"', page_html) == [
        f'src="{SCRIPT}?v={site_script_version()}"'
    ]

    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    assert page.inner_text("#wb-overall") == "Overall rating: Requires improvement"
    # the heatmap, a view for each of 4 LDU choices and 6 standards, 4 composition charts
    assert page.locator("figure svg").count() == 1 + 4 * 6 + 4
    # the selectors show one view at a time
    page.select_option("#wb-ldu-picker", "Warwickshire")
    page.select_option("#wb-standard-picker", "2.3")
    visible = page.locator(".wb-view:visible")
    assert visible.count() == 1 and visible.first.get_attribute("data-group") == "Warwickshire"
    assert visible.first.get_attribute("data-standard") == "2.3"
    assert "fewer than 5 cases" in page.inner_text("body")
    assert [u for u in browser.traffic.requests if not u.startswith(("file://", "data:"))] == []
    assert browser.traffic.console_errors == []  # no policy violation, opened as a file too


def test_publish_says_what_is_wrong_with_the_store(tmp_path, capsys):
    status = main(
        [
            "publish",
            "demo-wwm-2019",
            "--out",
            str(tmp_path / "site"),
            "--db",
            f"sqlite:///{tmp_path / 'none.db'}",
        ]
    )
    assert status == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_static_site_shows_no_small_group_count_and_no_rating_over_too_few_cases():
    """The site is built from the same figures: an LDU's case count is not the sample minus the
    others', and a standard with a key question over 3 cases has no rating, nor the overall points."""
    from tests.app.test_dashboard import _cases, _few_answers_ratings, _figures
    from workbook.app.publish import render_site
    from workbook.ratings import rate
    from workbook.report.dashboard import build_figures

    framework, figures = _figures()
    site = render_site(framework, figures)
    assert "North: 12" in site and "South: 10" not in site and "East: 3" not in site
    assert len(_cases()) == 25 and "fewer than 5 cases" in site

    framework, cases, judgements = _few_answers_ratings()
    ratings = rate(framework, judgements, cases=cases, by=("ldu",))
    site = render_site(framework, build_figures(framework, ratings, cases, suppress_below=5))
    hidden = ratings.standards["2.2"].rating
    rows = [r for r in site.split("<tr") if "<td>2.2</td>" in r]
    assert len(rows) == 2 and all(hidden not in r and "fewer than 5 cases" in r for r in rows)
    assert f"{ratings.overall.points} of {ratings.overall.max_points} points" not in site


class _Scripts(HTMLParser):
    """The page's <script> elements (their src, or their text) and its CSP meta element."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[str | None, str]] = []
        self.policy: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append((attrs.get("src"), ""))
            self._in_script = True
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            src, text = self.scripts[-1]
            self.scripts[-1] = (src, text + data)


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_the_page_has_no_inline_script_and_a_policy_that_allows_none():
    """Scripts from the page's own site only: the one script is a file, no event-handler
    attribute, and the policy's script-src has neither 'unsafe-inline' nor 'unsafe-eval'."""
    from tests.app.test_dashboard import _figures
    from workbook.app.publish import render_site

    framework, figures = _figures()
    page = render_site(framework, figures)
    parser = _Scripts()
    parser.feed(page)
    assert parser.scripts == [(f"{SCRIPT}?v={site_script_version()}", "")]
    assert re.findall(r"\son[a-z]+\s*=", page) == []
    assert len(parser.policy) == 1
    policy = _directives(parser.policy[0])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"]
    assert site_script().startswith(b"//") and b"wb-ldu-picker" in site_script()
    assert b"wb-standard-picker" in site_script()


def test_a_publish_replaces_the_page_and_leaves_an_unchanged_script_alone(tmp_path):
    out = tmp_path / "site"
    write_site(out, {SCRIPT: b"// one", PAGE: b"<html>one</html>"})
    script_inode = (out / SCRIPT).stat().st_ino
    page_inode = (out / PAGE).stat().st_ino
    write_site(out, {SCRIPT: b"// one", PAGE: b"<html>two</html>"})
    assert (out / PAGE).read_bytes() == b"<html>two</html>"
    assert (out / PAGE).stat().st_ino != page_inode  # a new file renamed over the old one
    assert (out / SCRIPT).stat().st_ino == script_inode
    write_site(out, {SCRIPT: b"// two", PAGE: b"<html>three</html>"})
    assert (out / SCRIPT).read_bytes() == b"// two"
    assert sorted(p.name for p in out.iterdir()) == [SCRIPT, PAGE]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    page = tmp_path / PAGE
    write_atomic(page, b"<html>good</html>")
    os.chmod(page, 0o640)
    with pytest.raises(TypeError):
        write_atomic(page, "not bytes")  # fails after the temporary file was made
    assert page.read_bytes() == b"<html>good</html>"
    assert [p.name for p in tmp_path.iterdir()] == [PAGE]
    write_atomic(page, b"<html>new</html>")
    assert page.stat().st_mode & 0o777 == 0o640  # the replaced file's permissions are kept


def test_a_write_into_a_folder_that_is_not_one_names_the_file(tmp_path):
    (tmp_path / "blocker").write_text("a file, not a folder")
    target = tmp_path / "blocker" / PAGE
    with pytest.raises(OSError) as caught:
        write_atomic(target, b"<html></html>")
    assert caught.value.filename == str(target)
    assert (tmp_path / "blocker").read_text() == "a file, not a folder"


def test_a_new_page_is_readable_by_the_web_server(tmp_path):
    write_atomic(tmp_path / PAGE, b"<html></html>")
    assert (tmp_path / PAGE).stat().st_mode & 0o777 == 0o644


class _Views(HTMLParser):
    """The static page's views (``<section class="wb-view">``): their data attributes and the
    cells of each row of their tables."""

    def __init__(self):
        super().__init__()
        self.views: list[dict] = []
        self._depth = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "wb-view":
            self.views.append({**attrs, "rows": [], "text": ""})
            self._depth = 1
        elif self._depth and tag == "section":
            self._depth += 1
        if self._depth and tag == "tr":
            self.views[-1]["rows"].append([])
        if self._depth and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if self._depth and tag in ("td", "th") and self._cell is not None:
            self.views[-1]["rows"][-1].append("".join(self._cell).strip())
            self._cell = None
        if self._depth and tag == "section":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.views[-1]["text"] += data
            if self._cell is not None:
                self._cell.append(data)


def test_every_view_the_selectors_can_show_is_private_and_shows_no_small_figure():
    """Each of the selectors' views (every LDU, all LDUs, and every standard), in the Voilà
    page's snapshot and in the static site alike: no case id, inspector or note, no figure over
    fewer than 5 cases (East has 3), and the small LDU's figures in words that name it."""
    from tests.app.test_dashboard import NOTE, _cases, _figures
    from workbook.app.publish import render_site
    from workbook.render.snapshot import build_snapshot

    framework, figures = _figures()
    snapshot = build_snapshot(framework, figures, inspection="x", token="1", suppression=5)
    parser = _Views()
    parser.feed(render_site(framework, figures))
    groups = ["All LDUs", "East", "North", "South"]
    standards = [sid for sid, _ in figures.standards(framework)]
    assert [(v["data-group"], v["data-standard"]) for v in parser.views] == [
        (g, s) for g in groups for s in standards
    ]
    private = [*_cases()["case_id"], "Inspector North", "Inspector Private", NOTE, "PRIV-"]
    for view in parser.views:
        group, sid = view["data-group"], view["data-standard"]
        html = snapshot["views"][group][sid]
        assert view["data-status"] == snapshot["statuses"][group][sid]
        assert [p for p in private if p in html or p in view["text"]] == []
        rows = [r for r in view["rows"] if len(r) == 7 and r[0] != "Key question"]
        assert rows and all(r[0].startswith(sid + ".") for r in rows), (group, sid)
        for kq, _text, row_group, pct, _band, n, interval in rows:
            assert n == "" or int(n) >= 5, (group, sid, kq, row_group, n)
            if row_group == "East":
                assert (n, interval) == ("", "")
                assert pct == "Fewer than 5 cases in East: its figure is not shown"
            if row_group == "South" and not n and pct != "no answers yet":
                assert pct == "Not shown, so that East's figure cannot be worked out from the total"
        # the chart draws no point for a hidden figure: no mark of East's, none of South's
        # where its figure protects East's
        svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert "group: East;" not in svg, (group, sid)
        hidden_south = any(r[2] == "South" and not r[5] for r in rows)
        assert not hidden_south or "group: South;" not in svg, (group, sid)
