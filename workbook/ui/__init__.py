"""Presentation: ipywidgets components by audience, one class per module (see the design card).

- ``feedback``: the one feedback area every component shows its errors and confirmations in.
- ``inspect/``: the inspectors' workbook (loader, navigator, form, board, decisions, export).
- ``dashboard/``, ``method/``: the stakeholders' dashboard and the trainers' methodology.
"""
