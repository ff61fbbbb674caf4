"""Transitional: the static dashboard moved to :mod:`workbook.app.publish`."""

from .app.publish import publish_dashboard, render_site

__all__ = ["publish_dashboard", "render_site"]
