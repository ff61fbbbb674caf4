"""The inspectors' widgets: one component per module, each getting its store and framework.

- ``sample_loader.SampleLoader``: check or draw a case sample and create an inspection.
- ``case_navigator.CaseNavigator``: find and step through the cases.
- ``judgement_form.JudgementForm``: answer a case's key questions, each saved at once.
- ``ratings_board.RatingsBoard``: the live ratings, updated after each save.
- ``decisions_panel.DecisionsPanel``: judged ratings and professional discretion.
- ``export_panel.ExportPanel``: the tables and charts to files.

Every component shows its errors and confirmations in one :class:`workbook.ui.feedback.Feedback`
area (``component.feedback``); HTML comes from ``workbook/render/templates/inspect/``.
``workbook.app.inspect`` builds them and wires them together.
"""
