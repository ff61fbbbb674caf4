"""Benchmarks that print figures: ``python -m workbook.bench AREA`` (ratings, samples, store, ui, dashboard)."""

# Debian's Chromium, never a downloaded browser; the flags keep it off the network and quiet.
# The benches and the browser tests launch it the same way.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
