"""Composition: opens settings, store and framework, and builds the pages the notebooks show.

One module per page: ``inspect`` (the inspectors' workbook), ``dashboard`` (stakeholders'
summary, read-only), ``methodology`` (the trainers' notebook).
"""
