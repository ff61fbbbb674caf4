"""The stakeholders' widgets: read-only, aggregate-only; one component per module.

- ``page.DashboardPage``: the whole dashboard (summary, Annex 2, LDU views, sample, method).
- ``explorer.LduExplorer``: one LDU and one standard at a time.
- ``problem.DashboardProblem``: what the page shows when it cannot show an inspection.

They get a framework and :class:`~workbook.report.dashboard.DashboardFigures` (already
aggregated and suppressed), never the store; HTML comes from ``render/templates/dashboard/``.
``workbook.app.dashboard`` builds them.
"""
