"""Transitional: the ratings board moved to :mod:`workbook.ui.inspect.ratings_board`."""

from .inspect.ratings_board import RatingsBoard

__all__ = ["RatingsBoard"]
