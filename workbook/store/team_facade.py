"""The team's part of the :class:`~workbook.store.Store` facade: members, allocation, case
status and sign-off, the "probe further" flag and quality-assurance queries (see
:mod:`workbook.store.team`). :class:`TeamStore` is a mixin of ``Store``."""

from __future__ import annotations


class TeamStore:
    """The team's methods of :class:`~workbook.store.Store`."""
