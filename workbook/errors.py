"""Errors for people.

Validators collect every problem, then raise once. Each problem carries a reason code, where it
is (file, row as a spreadsheet shows it, column or place in a document), the bad value and what
is allowed, and reads as: *where: what is wrong, quoting the value. What is allowed. How to fix.*
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .reasons import Reason


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it.

    Parameters
    ----------
    code : Reason or str
        The reason code; a string is turned into its ``Reason`` member.
    message : str
        What is wrong, quoting the value, for people.
    file : str, optional
        The file (or store URL) the problem is in.
    row : int, optional
        The row as a spreadsheet shows it.
    column : str, optional
        The column (or option) the value is in.
    value : object, optional
        The bad value.
    allowed : str, optional
        What is allowed, in words.
    place : str, optional
        A place in a document, such as ``"domains[1].standards[0].id"``.

    Raises
    ------
    ValueError
        If ``code`` is not a member of ``Reason``.
    """

    code: Reason
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    allowed: str | None = None
    place: str | None = None  # a place in a document: "domains[1].standards[0].id"

    def __post_init__(self) -> None:
        try:
            code = Reason(self.code)
        except ValueError:
            raise ValueError(
                f"{self.code!r} is not a problem code; add it to workbook.reasons.Reason first."
            ) from None
        object.__setattr__(self, "code", code)

    @property
    def where(self) -> str:
        """Where the problem is: file, row, column and place, joined by commas."""
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
        """The problem as plain values for JSON output (the code as its string)."""
        return {
            "code": self.code.value,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "place": self.place,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
            "allowed": self.allowed,
        }


class WorkbookError(Exception):
    """Base of every error the workbook raises on purpose; carries its problems.

    Parameters
    ----------
    problems : str, Problem or sequence of Problem
        What went wrong; a plain text becomes one problem of code ``Reason.ERROR``.
    warnings : sequence of Problem, optional
        Things worth knowing that did not stop the operation.
    """

    def __init__(
        self, problems: str | Problem | list[Problem] | tuple[Problem, ...], *, warnings=()
    ):
        if isinstance(problems, str):
            problems = [Problem(Reason.ERROR, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        super().__init__(self.describe())

    def describe(self, limit: int | None = None) -> str:
        """The problems as lines of text, at most ``limit`` of them and a count of the rest."""
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [str(p) for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems.")
        return "\n".join(lines)

    @property
    def codes(self) -> list[Reason]:
        """The reason codes of the problems, in order."""
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
    """Someone else saved since the version the caller last saw; nothing was saved.

    Parameters
    ----------
    message : str
        What happened, for people.
    changed_by : str, optional
        Who saved the newer version.
    changed_at : datetime, optional
        When the newer version was saved.
    current_value : object, optional
        The value saved now.
    current_version : int, optional
        The version saved now.
    """

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
        super().__init__(Problem(Reason.CONFLICT, message, value=current_value))
