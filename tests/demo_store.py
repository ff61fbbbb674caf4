"""The demo inspection in a SQLite store of a test's own: the one set-up the tests share."""

from __future__ import annotations

from pathlib import Path


def demo_store_url(folder: Path) -> str:
    """The URL of a new SQLite store in ``folder`` holding the demo inspection."""
    from workbook.demo import ensure_demo
    from workbook.store import open_store

    url = f"sqlite:///{Path(folder) / 'demo.db'}"
    store = open_store(url)
    try:
        ensure_demo(store)
    finally:
        store.close()
    return url
