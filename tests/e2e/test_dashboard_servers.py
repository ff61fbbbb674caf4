"""The server fixtures of tests/servers.py, which other tests reuse: a JupyterLab and a Voilà
started on 127.0.0.1 on free ports, with their side files in tmp_path, stopped afterwards."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from .servers import code_notebook, lab_url, server_kernels

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_jupyterlab_server_starts_contained_and_stops(jupyterlab_server, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    code_notebook(root / "hello.ipynb", "print('hello')")
    server = jupyterlab_server(root)
    assert server.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(lab_url(server, "api/contents")) as response:
        names = [item["name"] for item in json.load(response)["content"]]
    assert names == ["hello.ipynb"]
    # without the token: refused
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(server.url + "api/contents")
    # runtime files are in tmp_path
    assert any((tmp_path / "jupyterlab-0" / "runtime").iterdir())
    server.stop()
    assert server.process.poll() is not None


def test_voila_server_runs_a_notebook_in_the_browser(voila_server, browser, tmp_path):
    root = tmp_path / "nb"
    root.mkdir()
    code_notebook(
        root / "button.ipynb",
        "import ipywidgets as widgets\nwidgets.Button(description='Pressed?')",
    )
    server = voila_server(root)
    page = browser.new_page()
    page.goto(server.url + "voila/render/button.ipynb", timeout=120_000)
    page.locator(".widget-button").wait_for(timeout=120_000)
    assert page.inner_text(".widget-button") == "Pressed?"
    assert len(server_kernels(server)) == 1
    assert any(url.startswith("ws://127.0.0.1") for url in browser.traffic.requests)
    assert any(b"Pressed?" in payload for _u, _d, payload in browser.traffic.frames)
    server.stop()
    assert server.process.poll() is not None
