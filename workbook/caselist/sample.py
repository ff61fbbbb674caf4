"""The Sample value: a validated case list, and counting its values."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from .columns import COLUMNS_BY_NAME, canon, column_labels, heading_words, plain_name

# -- the Sample value ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Sample:
    """A validated case list: one row per case, canonical columns first, extra columns kept.

    Attributes
    ----------
    cases
        One row per case, every value as text.
    warnings
        Suspicious but valid data (small LDUs, LDUs spelt almost alike, under-18s).
    source, sheet
        The file (and sheet) read.
    seed
        The draw seed the rows recorded, or None.
    columns_found
        (column as written, canonical name) for each named column.
    rows
        The spreadsheet row of each case.
    """

    cases: pd.DataFrame
    warnings: tuple[Problem, ...] = ()
    source: str | None = None
    seed: int | None = None
    sheet: str | None = None
    columns_found: tuple[tuple[str, str], ...] = ()
    rows: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.cases)

    @property
    def case_ids(self) -> list[str]:
        """The case ids, in file order."""
        return self.cases["case_id"].tolist()

    @property
    def attributes(self) -> list[str]:
        """Columns other than case_id: what breakdowns can use."""
        return [c for c in self.cases.columns if c != "case_id"]

    def heading(self, column: str) -> str:
        """Return the heading the file gave ``column`` (its plain words when it had none).

        Parameters
        ----------
        column
            A canonical column name, such as ``"ldu"``.

        Returns
        -------
        str
            Such as ``"PDU"``: the user's own word, for a table's heading; a heading that is the
        canonical name itself (``"rosh"``) is given as the column's label.
        """
        written = {name: w for w, name in self.columns_found}.get(column, "")
        known = COLUMNS_BY_NAME.get(column)
        if known and (not written or canon(written) == canon(column)):
            return known.label  # "rosh" as written is the label "Risk of serious harm"
        return written or plain_name(column)

    def headings(self) -> dict[str, str]:
        """Return canonical name -> how a message names the column: the user's heading, then
        its plain words when they differ (``{"case_id": "CRN (case id)"}``)."""
        return {name: heading_words(w, name) for w, name in self.columns_found}

    def counts(self, column: str) -> pd.DataFrame:
        """Return cases per value of ``column`` (value, cases, share), largest first."""
        return count_values(self.cases, column)

    def summary(self) -> dict[str, pd.DataFrame]:
        """Return the short summary ``check-sample`` prints: cases per sample, LDU, ... risk."""
        return {
            label: self.counts(col)
            for col, label in column_labels("summary")
            if col in self.cases.columns
        }


def count_values(cases: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return cases per value of ``column``: value, cases, share; largest first, then by value.

    Parameters
    ----------
    cases
        The case list.
    column
        The column to count; an empty value is counted as ``(empty)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``cases`` and ``share`` (of all cases).
    """
    values = cases[column].astype(str).replace("", "(empty)")
    counts = values.value_counts(sort=False)
    table = pd.DataFrame({column: counts.index.astype(str), "cases": counts.to_numpy()})
    table = table.sort_values(
        ["cases", column], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    table["share"] = table["cases"] / max(len(cases), 1)
    return table
