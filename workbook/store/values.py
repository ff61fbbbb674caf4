"""What the store returns: frozen domain values, never ORM rows.

Also the small conversions every part of the store shares: times in UTC, values as JSON.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from ..judgements import Decision


@dataclass(frozen=True)
class Inspection:
    """An inspection: its provider, the framework it is pinned to, fieldwork dates and LDUs."""

    name: str
    provider: str
    framework_id: str
    framework_version: str
    fieldwork_start: date | None
    fieldwork_end: date | None
    ldus: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    """How many cases an import added, left unchanged and updated."""

    added: int
    unchanged: int
    updated: int = 0


@dataclass(frozen=True)
class StoredJudgement:
    """One case's answer to one key question as stored, with who saved it, when and its version."""

    case_id: str
    question: str
    answer: str | None  # None: the answer was cleared
    note: str | None
    inspector: str
    saved_at: datetime
    version: int


@dataclass(frozen=True)
class SaveResult:
    """The judgement after a save, the one before it, and whether the save wrote anything."""

    judgement: StoredJudgement
    previous: StoredJudgement | None
    changed: bool


@dataclass(frozen=True)
class StoredDecision:
    """A standard's decision as stored, with its version; rating None: withdrawn."""

    standard: str
    rating: str | None  # None: the decision was withdrawn
    reason: str
    inspector: str
    saved_at: datetime
    version: int
    changed: bool = True

    def as_decision(self) -> Decision:
        """Return the decision as :func:`workbook.ratings.rate` takes it."""
        return Decision(
            self.standard, self.rating, self.reason, by=self.inspector, at=self.saved_at
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One change.

    For a judgement ``old``/``new`` are answers and the notes are the notes; for a decision
    they are ratings and the notes are the reasons; for a case, its attributes as JSON text;
    for an inspection, its settings as JSON text.
    """

    entity: str  # "inspection", "case", "judgement", "decision", and the team's (schema 2)
    key: str  # "C001 2.1.1", a standard id, a case id or the inspection's name
    old: str | None
    new: str | None
    by: str
    at: datetime
    case_id: str | None = None
    question: str | None = None
    version: int | None = None
    old_note: str | None = None
    new_note: str | None = None
    reason: str | None = None  # why, where a rule asks for it
    id: int | None = None  # the history row's id: later changes have larger ids


# -- the team's work (schema 2) ---------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of an inspection's team: a person and their role (``team.ROLES``)."""

    person: str
    role: str  # canonical: inspector, local_assessor, quality_lead, lead_inspector, viewer
    added_by: str
    added_at: datetime

    @property
    def role_label(self) -> str:
        """The role in words: ``local assessor``."""
        return self.role.replace("_", " ")


@dataclass(frozen=True)
class Access:
    """What a person may do with an inspection: who they are, their role, and why not.

    ``team`` is False for an inspection without a team (anyone may write, as before teams);
    ``why`` says, in a sentence, why ``can_write`` is False (empty when it is True)."""

    person: str
    role: str | None
    team: bool
    can_write: bool
    why: str = ""


@dataclass(frozen=True)
class CaseWork:
    """One case's place in the team's work.

    ``status`` is one of ``team.STATUSES``: not_started, in_progress (read from its answers),
    complete, quality_assured, locked (signed)."""

    case_id: str
    allocated_to: str | None
    second_rater: str | None
    status: str
    status_by: str | None
    status_at: datetime | None
    probe: bool
    probe_note: str | None
    dip_sample: bool
    answered: int
    applicable: int
    open_queries: int = 0


@dataclass(frozen=True)
class Query:
    """A quality-assurance query on one judgement (``question``) or a whole case (None)."""

    id: int
    case_id: str
    question: str | None
    text: str
    state: str  # open, answered, resolved
    opened_by: str
    opened_at: datetime
    reply: str | None = None
    replied_by: str | None = None
    replied_at: datetime | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None


# -- shared conversions -------------------------------------------------------------------------


def now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """Return ``value`` in UTC (a naive time is taken to be UTC already)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def json_value(value: Any) -> Any:
    """Return ``value`` as JSON can hold it: missing values None, times ISO 8601 text."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return json_value(value.item())
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def dumps(obj: Any) -> str:
    """Return ``obj`` as JSON text with sorted keys (the history's layout)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def blank_to_none(value: str | None) -> str | None:
    """Return ``value`` stripped, or None when it is empty."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None
