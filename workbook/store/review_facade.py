"""The review's part of the :class:`~workbook.store.Store` facade: the quality lead's dip
sample, blind second ratings, the figures of agreement and the lead inspector's adjudication.
:class:`ReviewStore` is a mixin of ``Store``."""

from __future__ import annotations


class ReviewStore:
    """The review's methods of :class:`~workbook.store.Store`."""
