"""Presentation: ipywidgets components, one class per module (see the design card)."""
