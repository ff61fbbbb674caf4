"""The dashboard's Content-Security-Policy: scripts from the server's own files only, no inline
script, no string evaluated as code, on a real Voilà server (served as ``make dashboard`` serves
it) in headless Chromium; and the trainers' page, served with its own policy as ``make trainer``
serves it, draws its charts and runs its widgets with no string evaluated as code either.

The workbook's Voilà template replaces the lab template's inline scripts with
``static/workbook-page.js``; the one inline script left is the heartbeat Voilà's handler writes
while a cell runs for long, allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.request
from html.parser import HTMLParser

import pytest

from tests.demo_store import demo_store_url
from workbook.app.dashboard import NOTEBOOKS, TEMPLATES, voila_command
from workbook.config import REPO_DIR

from .servers import contained_env, free_port, start_server, wait_for_quiet_kernels

# The trainers' server reads its own settings first (the trainers' policy), then voila.json.
TRAINER_SETTINGS = TEMPLATES / "voila" / "trainer"
TRAINER_OPTIONS = (
    f"--Voila.config_file_paths={TRAINER_SETTINGS}",
    f"--Voila.config_file_paths={REPO_DIR}",
)
CULL = ("--MappingKernelManager.cull_idle_timeout=60", "--MappingKernelManager.cull_interval=10")
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
NEVER_IN_SCRIPT_SRC = ("'unsafe-inline'", "'unsafe-hashes'", "'strict-dynamic'", "data:", "*")
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    return demo_store_url(tmp_path_factory.mktemp("csp"))


@pytest.fixture
def serve(tmp_path):
    """Factory: ``serve(db_url, notebook=..., extra=(), pooled=True, **voila_command kwargs)``
    starts Voilà as the Makefile does (:func:`voila_command`, from the repository folder so
    voila.json applies); ``pooled`` waits for the preheated kernel. Stopped on teardown."""
    started = []

    def start(db_url, notebook=NOTEBOOKS / "dashboard.ipynb", extra=(), pooled=True, **options):
        port = free_port()
        argv, env = voila_command(notebooks=notebook, port=port, extra=[*CULL, *extra], **options)
        root = tmp_path / f"voila-{len(started)}"
        run_env = contained_env(root, **{**env, "WORKBOOK_DB": db_url})
        server = start_server(
            "voila", argv, port, run_env, REPO_DIR, root / "voila.log", "voila/files/ready.png"
        )
        started.append(server)
        if pooled:
            wait_for_quiet_kernels(server, expected=1)
        return server

    yield start
    for server in started:
        server.stop()


class _Scripts(HTMLParser):
    """The page's script elements: (attributes, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run (data blocks such as
    ``type="application/json"`` are not scripts)."""
    parser = _Scripts()
    parser.feed(html)
    return [
        text
        for attrs, text in parser.scripts
        if "src" not in attrs and (attrs.get("type") or "").strip().lower() in SCRIPT_TYPES
    ]


def script_sources(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return [attrs["src"] for attrs, _ in parser.scripts if "src" in attrs]


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def fetch(url: str) -> tuple[str, str]:
    """(Content-Security-Policy header, body) of a page."""
    with urllib.request.urlopen(url, timeout=180) as response:
        return response.headers.get("Content-Security-Policy", ""), response.read().decode()


def assert_no_inline_script_allowed(policy: str) -> dict[str, list[str]]:
    found = directives(policy)
    script_src = found.get("script-src", found.get("default-src"))
    assert script_src, policy
    for word in NEVER_IN_SCRIPT_SRC:
        assert word not in script_src, (word, policy)
    assert "script-src-elem" not in found and "script-src-attr" not in found, policy
    assert found["default-src"] == ["'self'"], policy
    assert found["object-src"] == ["'none'"] and found["frame-ancestors"] == ["'none'"], policy
    assert found["base-uri"] == ["'none'"], policy
    return found


def assert_scripts_allowed(html: str, policy: str) -> list[str]:
    """Every inline script of ``html`` is allowed by its hash; every script file comes from
    the server itself. Returns the inline scripts."""
    script_src = directives(policy)["script-src"]
    inline = inline_scripts(html)
    for text in inline:
        assert sha256_source(text) in script_src, f"inline script not allowed: {text[:200]!r}"
    for src in script_sources(html):
        assert src.startswith("/") and not src.startswith("//"), src
    return inline


def open_recording(browser, url: str, ready: str):
    page = browser.new_page(width=1300, height=1200)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(url, timeout=180_000)
    page.locator(ready).first.wait_for(state="visible", timeout=180_000)
    return page


def violations(page, browser) -> list[str]:
    reported = page.evaluate("window.__violations")
    console = [m for m in browser.traffic.console_errors if "Content Security Policy" in m]
    return [*reported, *console]


@pytest.mark.browser
@pytest.mark.slow
def test_the_dashboard_runs_no_inline_script_and_no_eval(serve, browser, demo_db):
    """The policy has no 'unsafe-inline', 'unsafe-eval', blob: or data: scripts; the page holds
    no inline script at all; it renders in Chromium, and its selectors work, with no violation."""
    server = serve(demo_db)
    policy, html = fetch(server.url)
    script_src = assert_no_inline_script_allowed(policy)["script-src"]
    assert "'unsafe-eval'" not in script_src and "blob:" not in script_src, policy
    assert "connect-src" in directives(policy) and "form-action" in directives(policy)
    assert assert_scripts_allowed(html, policy) == []
    assert "workbook-page.js" in html

    page = open_recording(browser, server.url, "#wb-overall")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#rendered_cells')).display !== 'none'"
        " && !document.body.innerText.includes('Loading widget')",
        timeout=180_000,
    )
    assert page.locator("#loading").count() == 0
    before = page.inner_text("#rendered_cells")
    picker = page.locator("#rendered_cells select").first
    assert picker.locator("option").count() > 1
    picker.select_option(index=0 if picker.evaluate("s => s.selectedIndex") else 1)
    page.wait_for_function(
        "(before) => document.querySelector('#rendered_cells').innerText !== before",
        arg=before,
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    assert violations(page, browser) == []
    assert browser.traffic.requests_not_to(server.url) == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_page_rendered_while_its_kernel_runs_needs_only_the_hashed_heartbeat(
    serve, browser, demo_db
):
    """With no preheated kernel the page is sent while the notebook runs, and Voilà writes its
    heartbeat script every keep-alive interval: its hash is in the policy, so the page still
    renders with no violation."""
    server = serve(
        demo_db,
        preheat=False,
        pooled=False,
        extra=["--VoilaConfiguration.http_keep_alive_timeout=1"],
    )
    policy, html = fetch(server.url)
    assert_no_inline_script_allowed(policy)
    inline = assert_scripts_allowed(html, policy)
    assert inline and all("voila_heartbeat" in text for text in inline), inline
    page = open_recording(browser, server.url, "#wb-overall")
    page.wait_for_timeout(1000)
    assert violations(page, browser) == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_trainers_page_draws_its_charts_under_its_own_policy(serve, browser, demo_db):
    """The trainers' server (its own settings, then voila.json) allows what its anywidgets need,
    blob: module scripts, and neither 'unsafe-eval' nor an inline script: its charts are SVG
    drawn in the kernel."""
    server = serve(
        demo_db, notebook=NOTEBOOKS / "methodology.ipynb", extra=TRAINER_OPTIONS, pooled=False
    )
    policy, html = fetch(server.url)
    script_src = assert_no_inline_script_allowed(policy)["script-src"]
    assert "'unsafe-eval'" not in script_src and "blob:" in script_src, policy
    assert_scripts_allowed(html, policy)
    page = open_recording(browser, server.url, ".wb-method-chart[role=img] svg")
    page.wait_for_function(
        "() => document.querySelectorAll('.wb-method-chart svg text').length > 0"
        " && document.querySelectorAll('input[type=range]').length > 0",
        timeout=60_000,
    )
    page.wait_for_timeout(1000)
    assert violations(page, browser) == []
    assert browser.traffic.requests_not_to(server.url) == []


def test_make_trainer_reads_the_trainers_settings_before_voila_json():
    """The Makefile serves the trainers' page with the options the test above uses, and the
    dashboard with voila.json alone."""
    makefile = (REPO_DIR / "Makefile").read_text()
    recipes = dict(re.findall(r"^(\w+):[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M))
    trainer, dashboard = recipes["trainer"], recipes["dashboard"]
    first = "--Voila.config_file_paths=$(CURDIR)/workbook/templates/voila/trainer"
    then = "--Voila.config_file_paths=$(CURDIR) "
    assert first in trainer and then in trainer, trainer
    assert trainer.index(first) < trainer.index(then)
    assert "config_file_paths" not in dashboard
    assert TRAINER_SETTINGS.relative_to(REPO_DIR).as_posix() == "workbook/templates/voila/trainer"
    assert (TRAINER_SETTINGS / "voila.json").is_file()
