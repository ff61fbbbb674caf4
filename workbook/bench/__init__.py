"""Benchmarks that print figures: ``python -m workbook.bench AREA`` (ratings, samples, store, ui, dashboard)."""
