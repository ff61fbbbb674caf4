"""Twenty visitors at once: one dashboard server, served as ``make dashboard`` serves it (the
dashboard notebook alone, at the root address, the committed voila.json) on a store holding
the demo inspection, and twenty viewers opened at the same moment, each in its own browser
context of one headless Chromium. Every one of them reaches the page's content within a
generous bound; how fast is the benchmark's business (``python -m workbook.bench dashboard``)."""

from __future__ import annotations

import pytest

from workbook.bench.dashboard import concurrent_viewers

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWERS = 20
BOUND = 240.0  # seconds, for all of them (they start together)


def test_twenty_concurrent_viewers_all_reach_the_dashboard_s_content(dashboard_voila, demo_db_url):
    server = dashboard_voila(demo_db_url)
    visits = concurrent_viewers(server.url, "#wb-overall", VIEWERS, timeout=BOUND)
    assert len(visits) == VIEWERS
    outcomes = sorted(f"{v.outcome} after {v.seconds:.0f} s {v.detail}".strip() for v in visits)
    # what the server did with the kernels (started, handed out, released), to read a failure
    kernels = [
        line
        for line in server.log_text().splitlines()
        if "Releasing kernel" in line or "Kernel started" in line or "Kernel shutdown" in line
    ]
    assert [v for v in visits if v.outcome != "content"] == [], (outcomes, kernels[-60:])
    assert server.process.poll() is None
