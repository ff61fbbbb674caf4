"""Nothing about the software reaches a visitor of the dashboard server: not over the page's
kernel websocket when a visitor sends malformed comm messages, not the store's path when the
store is missing, not in the server's error pages. The detail stays in the server's log.

A real Voilà server, served as ``make dashboard`` serves it, and a raw websocket client
(``websocket-client``, which the Jupyter server itself depends on) speaking the kernel's JSON
protocol as a page does, but sending what no page would.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
import websocket

from workbook.app.dashboard import TEMPLATES, UNAVAILABLE
from workbook.config import REPO_DIR

from . import test_dashboard_csp as csp

# the fixtures of the CSP tests: the demo store, and the dashboard served as `make dashboard` does
demo_db = csp.demo_db
serve = csp.serve

STDLIB = os.path.dirname(os.__file__)
# Marks of a traceback, an install path or the software's versions in a message.
SOFTWARE = (
    "Traceback",
    "site-packages",
    '.py"',
    '.py\\"',
    "\\u001b[",
    "IPython",
    f"Python {platform.python_version()}",
    str(REPO_DIR),
    sys.prefix,
    STDLIB,
)
PY_LINE = re.compile(rb"\.py:\d")
XSRF = "0123456789abcdef0123456789abcdef"


class KernelSocket:
    """The page's kernel websocket, spoken to directly: every frame received is kept."""

    def __init__(self, base_url: str, kernel_id: str):
        self.session = uuid.uuid4().hex
        url = re.sub(r"^http", "ws", base_url) + f"api/kernels/{kernel_id}/channels"
        self.ws = websocket.create_connection(
            f"{url}?session_id={self.session}", origin=base_url.rstrip("/"), timeout=0.5
        )
        self.frames: list[bytes] = []

    def send(self, msg_type: str, content, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": "",
            "version": "5.3",
            "date": "2026-01-01T00:00:00.000Z",
        }
        message = {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
        self.ws.send(json.dumps(message))
        return msg_id

    def send_raw(self, text: str) -> None:
        self.ws.send(text)

    def collect(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketConnectionClosedException, OSError):
                return
            self.frames.append(frame.encode() if isinstance(frame, str) else bytes(frame))

    def reply_to(self, msg_id: str, timeout: float = 60.0) -> dict:
        """Wait for the reply to ``msg_id`` (keeping every frame on the way)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in self.frames:
                message = _decoded(frame)
                if message and message.get("parent_header", {}).get("msg_id") == msg_id:
                    if message["header"]["msg_type"].endswith("_reply"):
                        return message
            self.collect(0.5)
        raise TimeoutError(f"no reply to {msg_id}")

    def close(self) -> None:
        self.ws.close()


def _decoded(frame: bytes) -> dict | None:
    try:
        message = json.loads(frame)
    except ValueError:
        return None
    return message if isinstance(message, dict) and "header" in message else None


def _page(url: str) -> tuple[str, str]:
    """(kernel id, HTML) of the dashboard page."""
    with urllib.request.urlopen(url, timeout=180) as response:
        html = response.read().decode()
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the page has no page config"
    return json.loads(found.group(1))["kernelId"], html


def _malformed(kernel: KernelSocket, comm_ids: list[str]) -> None:
    """Messages no page sends: comm messages missing their comm id or data, for comms that do
    not exist, widget updates with state of the wrong shape or values of the wrong type,
    comms opened for unknown targets or widget classes, and messages of no allowed type."""
    unknown = uuid.uuid4().hex
    kernel.send("comm_msg", {})
    kernel.send("comm_msg", {"data": {"method": "update", "state": {}}})
    kernel.send("comm_msg", {"comm_id": unknown, "data": {}})
    kernel.send("comm_msg", {"comm_id": None, "data": None})
    kernel.send("comm_open", {})
    kernel.send("comm_open", {"comm_id": unknown, "target_name": "no.such.target", "data": {}})
    kernel.send(
        "comm_open",
        {
            "comm_id": uuid.uuid4().hex,
            "target_name": "jupyter.widget",
            "data": {"state": {"_model_module": "nowhere", "_model_name": "NoModel"}},
        },
    )
    kernel.send("comm_close", {"comm_id": unknown})
    kernel.send("comm_info_request", {"target_name": 42})
    kernel.send("comm_msg", "not a mapping")
    kernel.send("execute_request", {"code": "import os; os.getcwd()", "silent": False})
    bad_values = {
        "value": {"not": "a value"},
        "index": "not an index",
        "options": 7,
        "children": "IPY_MODEL_" + unknown,
        "layout": "IPY_MODEL_" + unknown,
        "disabled": "perhaps",
        "description": ["a", "list"],
    }
    for comm_id in comm_ids:
        kernel.send("comm_msg", {"comm_id": comm_id})
        kernel.send("comm_msg", {"comm_id": comm_id, "data": "not a mapping"})
        kernel.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update"}})
        kernel.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": 3}})
        kernel.send(
            "comm_msg",
            {"comm_id": comm_id, "data": {"method": "update", "state": bad_values}},
        )
        kernel.send(
            "comm_msg",
            {
                "comm_id": comm_id,
                "data": {"method": "update", "state": {}, "buffer_paths": [["value", 0]]},
            },
        )
        kernel.send("comm_msg", {"comm_id": comm_id, "data": {"method": "no_such_method"}})
        kernel.send("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": 1}})


def _probe(server) -> tuple[KernelSocket, dict, int]:
    """Open the page, list its widgets' comms and ask for their state (as a page does), send
    every malformed message, then a kernel_info_request and a last comm_info_request; collect
    every frame until the last reply and two seconds after; end with frames that are not
    messages at all. Returns the socket, the kernel_info_reply and the server log's length
    before the probe."""
    log_start = len(server.log_text())
    kernel_id, _html = _page(server.url)
    kernel = KernelSocket(server.url, kernel_id)
    listed = kernel.reply_to(kernel.send("comm_info_request", {"target_name": "jupyter.widget"}))
    comm_ids = sorted(listed["content"]["comms"])
    for comm_id in comm_ids:
        kernel.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
    _malformed(kernel, comm_ids)
    info = kernel.reply_to(kernel.send("kernel_info_request", {}))
    last = kernel.reply_to(kernel.send("comm_info_request", {"target_name": "jupyter.widget"}))
    assert last["content"]["status"] == "ok"  # the kernel took it all and still answers
    kernel.collect(2.0)
    kernel.send_raw("not a message")
    kernel.send_raw(json.dumps({"channel": "shell", "content": {}}))
    kernel.collect(1.0)
    kernel.close()
    return kernel, info, log_start


def _disclosures(frames: list[bytes], needles) -> list[str]:
    found = []
    for frame in frames:
        for needle in needles:
            if needle and needle.encode() in frame:
                found.append(f"{needle!r} in {frame[:300]!r}")
        if PY_LINE.search(frame):
            found.append(f"a source line in {frame[:300]!r}")
    return found


@pytest.mark.browser
@pytest.mark.slow
def test_malformed_comm_messages_bring_back_no_traceback(serve, demo_db):
    """Every frame the visitor receives is free of tracebacks, install paths and versions;
    the errors the messages caused are in the server's log."""
    server = serve(demo_db)
    kernel, info, log_start = _probe(server)
    store_path = demo_db.removeprefix("sqlite:///")
    assert len(kernel.frames) > 20
    assert any(b'"request_state"' not in f and b'"state"' in f for f in kernel.frames)
    assert _disclosures(kernel.frames, (*SOFTWARE, store_path)) == []
    # the page can still talk to its kernel
    assert info["content"]["status"] == "ok"
    assert info["content"]["protocol_version"].startswith("5.")
    # the detail is the server's: the KeyError of a comm message with no data, for one
    log = server.log_text()[log_start:]
    assert "KeyError" in log, log[-3000:]


@pytest.mark.browser
@pytest.mark.slow
def test_a_missing_store_sends_its_path_to_no_visitor(serve, tmp_path):
    """The page shows the fixed message; neither the HTTP answers nor the websocket carry the
    store's path or name, even when the visitor prods the kernel; the server's log has it."""
    missing = tmp_path / "nowhere" / "none.db"
    server = serve(f"sqlite:///{missing}")
    kernel_id, html = _page(server.url)
    needles = (*SOFTWARE, str(tmp_path), "nowhere", "none.db")
    assert _disclosures([html.encode()], needles) == []
    kernel, info, _ = _probe(server)
    assert _disclosures(kernel.frames, needles) == []
    assert any(UNAVAILABLE.encode() in frame for frame in kernel.frames)
    assert str(missing) in server.log_text()


def _answer(url: str, method: str = "GET", headers=None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


ERROR_PAGE_LEAKS = ("voil", "jupyter", "tornado", "xsrf", "python", "traceback", "://")


def _says_nothing(body: str) -> list[str]:
    lowered = body.lower()
    found = [word for word in ERROR_PAGE_LEAKS if word in lowered]
    found += [p for p in (str(REPO_DIR), sys.prefix, "site-packages") if p in body]
    found += re.findall(r"\b\d+\.\d+\.\d+\b", body)  # a version
    return found


@pytest.mark.browser
@pytest.mark.slow
def test_error_pages_say_nothing_of_the_software(serve, demo_db):
    """403, 404 and 405 answers name no software, version, path or cause, and load nothing from
    another host; the ones Voilà renders are the workbook's plain page."""
    server = serve(demo_db)
    xsrf = {"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF}
    # the server has no login, so no XSRF check (README, "Security headers"): a POST to the
    # page is refused as a method it does not take, with or without the cookie
    cases = [
        ("POST", "", {}, 405, True),
        ("POST", "", xsrf, 405, True),
        ("DELETE", "api/kernels/" + uuid.uuid4().hex, {}, 405, True),  # no kernel API for that
        ("GET", "voila/files/nosuch.png", {}, 404, False),
        ("GET", "voila/files/dashboard.ipynb", {}, 403, False),
        ("GET", "voila/templates/workbook/static/nosuch.js", {}, 404, False),
        ("GET", "voila/static/nosuch.js", {}, 403, False),
    ]
    for method, path, headers, status, workbook_page in cases:
        code, _headers, body = _answer(server.url + path, method, headers)
        assert code == status, (method, path, code)
        assert _says_nothing(body) == [], (method, path, body[:2000])
        if workbook_page:
            assert "This page cannot be shown" in body, body
            assert "<script" not in body


@pytest.mark.browser
@pytest.mark.slow
def test_a_visitor_cannot_choose_another_template_or_theme(serve, demo_db):
    """``?template=`` and ``?theme=`` are ignored: the page stays the workbook's offline page
    (no CDN link, no inline script) and a bad name is not an error."""
    server = serve(demo_db)
    for query in ("?template=lab", "?template=../../nowhere", "?theme=../../nowhere"):
        code, _headers, body = _answer(server.url + query)
        assert code == 200, (query, code)
        assert "workbook-page.js" in body, query
        assert not re.search(r'<(link|script)[^>]*(href|src)="(https?:)?//', body), query


def test_the_workbook_error_pages_show_a_fixed_message(monkeypatch):
    """The templates Voilà renders for an error (the status's own page, else error.html),
    looked up as Voilà does for the workbook template: a fixed message, whatever the error's
    detail holds."""
    import jinja2
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATES))
    paths = collect_template_paths(["voila", "nbconvert"], "workbook")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(paths), autoescape=True)
    detail = f"{REPO_DIR}/var/store.db: database is locked (sqlite3.OperationalError)"
    pages = (
        (404, "Not Found", "Page not found"),
        (403, "Forbidden", "This page cannot be shown"),
        (405, "Method Not Allowed", "This page cannot be shown"),
        (500, "Internal Server Error", "Sorry, there is a problem with the service"),
    )
    for status, reason, heading in pages:
        try:
            template = env.get_template(f"{status}.html")
        except jinja2.TemplateNotFound:
            template = env.get_template("error.html")
        body = template.render(
            status_code=status,
            status_message=reason,
            message=detail,
            exception=RuntimeError(detail),
            base_url="/",
        )
        assert heading in body, (status, body)
        assert detail not in body and "store.db" not in body and "sqlite" not in body.lower()
        assert _says_nothing(body) == [], (status, body)
        assert "<script" not in body
