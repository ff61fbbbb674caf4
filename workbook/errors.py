"""Errors for people.

Validators collect every problem, then raise once. Each problem carries a reason code, where it
is (file, row as a spreadsheet shows it, column or place in a document), the bad value and what
is allowed, and reads as: *where: what is wrong, quoting the value. What is allowed. How to fix.*
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it."""

    code: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    allowed: str | None = None
    place: str | None = None  # a place in a document: "domains[1].standards[0].id"

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.place:
            parts.append(self.place)
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.allowed:
            text += f" Allowed: {self.allowed}."
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "place": self.place,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
            "allowed": self.allowed,
        }


class WorkbookError(Exception):
    """Base of every error the workbook raises on purpose; carries its problems."""

    def __init__(
        self, problems: str | Problem | list[Problem] | tuple[Problem, ...], *, warnings=()
    ):
        if isinstance(problems, str):
            problems = [Problem("error", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        super().__init__(self.describe())

    def describe(self, limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [str(p) for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems.")
        return "\n".join(lines)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class FrameworkError(WorkbookError):
    """A framework file is not valid."""


class SampleError(WorkbookError):
    """A case list cannot be imported."""


class InputError(WorkbookError):
    """A judgements or decisions file, or a value given on the command line, is not valid."""


class StoreError(WorkbookError):
    """The store cannot do what was asked; nothing was changed."""


class ConflictError(StoreError):
    """Someone else saved since the version the caller last saw; nothing was saved."""

    def __init__(
        self,
        message: str,
        *,
        changed_by: str | None = None,
        changed_at=None,
        current_value: Any = None,
        current_version: int | None = None,
    ):
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_value = current_value
        self.current_version = current_version
        super().__init__(Problem("conflict", message, value=current_value))
