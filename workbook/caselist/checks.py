"""The case-list checks: the header, then a list of small checks over whole columns.

:func:`check_case_rows` finds the header, maps the columns to canonical names with the column
table, runs each check of :data:`CHECKS` over the cases (each sees whole columns at once, so a
list of 100,000 cases is checked in well under a second) and returns a :class:`Sample`, or every
problem found. Case ids are accepted by the one rule, :func:`workbook.judgements.check_case_ids`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import judgements
from ..errors import Problem, SampleError
from ..reasons import Reason
from .columns import (
    COLUMN_TABLE,
    COLUMNS,
    REQUIRED,
    SAMPLES,
    SEED_COLUMN,
    SMALL_LDU,
    VOCABULARIES,
    ldu_key,
    shorten,
)
from .header import column_headings, find_header, map_header, missing_columns, split_footer
from .sample import Sample


def _parse_seed(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not value.is_integer() or value < 0:
        return None
    return int(value)


# -- the checks ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CaseTable:
    """The cases below the header, as columns of stripped text, while they are checked.

    Attributes
    ----------
    file
        The file's name, for the problems' location.
    required
        The columns whose values must not be empty.
    numbers
        The spreadsheet row of each case.
    values
        Canonical column name -> the column's values (a numpy array of str).
    """

    file: str | None
    required: tuple[str, ...]
    numbers: np.ndarray
    values: Mapping[str, np.ndarray]

    def first_rows(self, column: str) -> dict[str, int]:
        """Return each value of ``column`` -> the spreadsheet row it first appears on.

        Found with ``factorize``, not ``==``: numpy drops a value's trailing NUL characters
        when it compares, so ``'\\x00'`` would match nothing.
        """
        codes, uniques = pd.factorize(self.values[column])
        _, first = np.unique(codes, return_index=True)
        return {uniques[c]: int(self.numbers[p]) for c, p in enumerate(first)}

    def flag(self, positions, code, message, column, *, raw=None, allowed=None) -> list[Problem]:
        """Return one problem per position; ``message`` may be a function of the raw value."""
        out = []
        for p in positions:
            v = None if raw is None else raw[p]
            out.append(
                Problem(
                    code,
                    message(v) if callable(message) else message,
                    file=self.file,
                    row=int(self.numbers[p]),
                    column=column,
                    value=v,
                    allowed=allowed,
                )
            )
        return out


@dataclass(frozen=True, eq=False)
class Checked:
    """What one check found: problems, warnings, canonical values to keep, the draw seed."""

    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    values: Mapping[str, np.ndarray] = field(default_factory=dict)
    seed: int | None = None


def _remap(values: np.ndarray, rule) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``rule`` once per distinct value: (new values, positions where it gave None)."""
    codes, uniques = pd.factorize(values)
    results = [rule(u) for u in uniques]
    bad_codes = [i for i, r in enumerate(results) if r is None]
    table = np.array([("" if r is None else r) for r in results] + [""], dtype=object)
    bad = np.flatnonzero(np.isin(codes, bad_codes)) if bad_codes else np.array([], dtype=np.int64)
    return table[codes], bad


def check_case_id_column(table: CaseTable) -> Checked:
    """Check the case ids with the one rule (:func:`workbook.judgements.check_case_ids`).

    Only the rows that can break it (empty ids, and every row of an id seen more than once)
    are handed to the rule, so a long list with good ids costs one ``factorize``.
    """
    ids = table.values.get("case_id")
    if ids is None:
        return Checked()
    codes, _ = pd.factorize(ids)
    repeated = np.bincount(codes)[codes] > 1
    suspect = np.flatnonzero(repeated | (ids == ""))
    pairs = ((int(table.numbers[p]), ids[p]) for p in suspect)
    return Checked(tuple(judgements.check_case_ids(pairs, file=table.file, shorten=shorten)))


def check_vocabularies(table: CaseTable) -> Checked:
    """Check and normalise every column with a vocabulary (empty, when required, is refused)."""
    problems: list[Problem] = []
    values: dict[str, np.ndarray] = {}
    for column, vocab in VOCABULARIES.items():
        raw = table.values.get(column)
        if raw is None:
            continue
        if column in table.required:
            problems += table.flag(
                np.flatnonzero(raw == ""),
                Reason.EMPTY_VALUE,
                "the value is empty.",
                column,
                allowed=vocab.allowed,
            )
        mapped, bad = _remap(raw, lambda u, vocab=vocab: vocab.normalise(u) if u else "")

        def unknown(value, vocab=vocab):
            hint = vocab.suggest(value)
            return f"'{shorten(value)}' is not {vocab.noun}." + (
                f" Did you mean '{hint}'?" if hint else ""
            )

        problems += table.flag(
            bad, Reason.UNKNOWN_VALUE, unknown, column, raw=raw, allowed=vocab.allowed
        )
        values[column] = mapped
    return Checked(tuple(problems), values=values)


def check_free_text(table: CaseTable) -> Checked:
    """Refuse an empty value in a required free-text column (such as ldu)."""
    problems: list[Problem] = []
    for column in COLUMN_TABLE:
        free = column.vocabulary is None and column.parser is None
        if free and column.name != "case_id" and column.name in table.required:
            raw = table.values.get(column.name)
            if raw is not None:
                problems += table.flag(
                    np.flatnonzero(raw == ""),
                    Reason.EMPTY_VALUE,
                    "the value is empty.",
                    column.name,
                    allowed=column.empty_allowed,
                )
    return Checked(tuple(problems))


def check_parsed(table: CaseTable) -> Checked:
    """Read every column with a parser (age, sentence date) into its stored form."""
    problems: list[Problem] = []
    values: dict[str, np.ndarray] = {}
    for column in COLUMN_TABLE:
        parser, raw = column.parser, table.values.get(column.name)
        if parser is None or raw is None:
            continue
        mapped, bad = _remap(raw, lambda u, parse=parser.parse: parse(u) if u else "")
        problems += table.flag(
            bad,
            parser.code,
            lambda value, what=parser.what: f"'{shorten(value)}' is not {what}.",
            column.name,
            raw=raw,
            allowed=parser.allowed,
        )
        values[column.name] = mapped
    return Checked(tuple(problems), values=values)


def check_draw_seed(table: CaseTable) -> Checked:
    """Read the draw seed the rows record: a whole number, the same on every row."""
    col = table.values.get(SEED_COLUMN)
    if col is None:
        return Checked()
    seeds = {u: _parse_seed(u) for u in pd.unique(col) if u}
    first_row = table.first_rows(SEED_COLUMN) if None in seeds.values() else {}
    problems = [
        Problem(
            Reason.BAD_SEED,
            f"'{shorten(u)}' is not a draw seed.",
            file=table.file,
            row=first_row[u],
            column=SEED_COLUMN,
            value=u,
            allowed="a whole number, the same on every row",
        )
        for u, s in seeds.items()
        if s is None
    ]
    good = sorted({s for s in seeds.values() if s is not None})
    if len(good) > 1:
        problems.append(
            Problem(
                Reason.MIXED_SEEDS,
                f"the rows record different draw seeds ({', '.join(map(str, good[:5]))}).",
                file=table.file,
                column=SEED_COLUMN,
                allowed="one seed for the whole sample",
            )
        )
    return Checked(tuple(problems), seed=good[0] if len(good) == 1 else None)


def _plural_cases(n: int) -> str:
    return f"{n} case{'s' if n != 1 else ''}"


def _ldu_same(counts: pd.Series, same: dict, first_row, file) -> list[Problem]:
    """Errors: names that differ only in '&' or 'and', case, spaces or punctuation."""
    errors = []
    for main, *others in same.values():
        for other in others:
            errors.append(
                Problem(
                    Reason.LDU_SPELLING,
                    f"the LDU '{shorten(other, 60)}' ({_plural_cases(counts[other])}) differs only "
                    f"in spelling from '{shorten(main, 60)}' ({_plural_cases(counts[main])}): "
                    "confirm they are the same LDU and use one spelling.",
                    file=file,
                    row=first_row(other),
                    column="ldu",
                    value=other,
                    allowed=f"one spelling for each LDU, such as '{shorten(main, 60)}'",
                )
            )
    return errors


def _ldu_alike(counts: pd.Series, same: dict, first_row, file) -> list[Problem]:
    """Warnings: names a letter or two apart, which real LDUs can be ('North East'/'West')."""
    heads = [(key, group[0]) for key, group in same.items()]
    if len(heads) > 200:
        return []
    warnings = []
    for i, (ka, a) in enumerate(heads):
        for kb, b in heads[i + 1 :]:
            if min(len(ka), len(kb)) >= 8 and difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.92:
                warnings.append(
                    Problem(
                        Reason.LDU_SIMILAR,
                        f"the LDUs '{shorten(b, 60)}' ({_plural_cases(counts[b])}, first at row "
                        f"{first_row(b)}) and '{shorten(a, 60)}' ({_plural_cases(counts[a])}) are "
                        "spelt almost alike: check they are different LDUs.",
                        file=file,
                        column="ldu",
                        value=b,
                    )
                )
    return warnings


def check_ldu_spellings(table: CaseTable) -> Checked:
    """Find LDU names written two ways: errors when only spelling differs, else warnings."""
    raw = table.values.get("ldu")
    if raw is None:
        return Checked()
    ldu = pd.Series(raw, dtype=object)
    counts = ldu[ldu != ""].value_counts(sort=False)
    if len(counts) < 2:
        return Checked()
    same: dict[str, list[str]] = {}  # key -> its spellings, the most used first
    for name in sorted(counts.index, key=lambda n: (-counts[n], n)):
        same.setdefault(ldu_key(name), []).append(name)

    found: dict[str, int] = {}

    def first_row(name: str) -> int:  # looked up only when a problem names a row
        if not found:
            found.update(table.first_rows("ldu"))
        return found[name]

    return Checked(
        tuple(_ldu_same(counts, same, first_row, table.file)),
        tuple(_ldu_alike(counts, same, first_row, table.file)),
    )


CHECKS: tuple[Callable[[CaseTable], Checked], ...] = (
    check_case_id_column,
    check_vocabularies,
    check_free_text,
    check_parsed,
    check_draw_seed,
    check_ldu_spellings,
)


# -- warnings on a valid list ----------------------------------------------------------------


def _small_ldus(cases: pd.DataFrame, file: str | None) -> list[Problem]:
    if "ldu" not in cases.columns or "sample" not in cases.columns:
        return []
    groups = cases.groupby(["sample", "ldu"], sort=True).size()
    out = []
    for sample_id in sorted(cases["sample"].unique()):
        per_ldu = groups.loc[sample_id]
        if len(per_ldu) < 2 or per_ldu.sum() < SMALL_LDU * len(per_ldu):
            continue  # one LDU, or a sample too small for every LDU to have 10
        label = SAMPLES.get(sample_id, sample_id)
        out += [
            Problem(
                Reason.SMALL_LDU,
                f"the LDU '{shorten(ldu, 60)}' has {_plural_cases(n)} in the {label} sample: "
                f"under {SMALL_LDU}, so its results have a wide margin of error.",
                file=file,
                column="ldu",
                value=ldu,
            )
            for ldu, n in per_ldu.items()
            if n < SMALL_LDU
        ]
    return out


def _young_ages(cases: pd.DataFrame, file: str | None) -> list[Problem]:
    if "age" not in cases.columns:
        return []
    ages = pd.to_numeric(cases["age"].replace("", None), errors="coerce")
    young = int((ages < 18).sum())
    if not young:
        return []
    return [
        Problem(
            Reason.YOUNG_AGE,
            f"{young} case{'s are' if young != 1 else ' is'} under 18: adult probation cases are "
            "18 or over.",
            file=file,
            column="age",
        )
    ]


# -- the driver ------------------------------------------------------------------------------


def _non_blank(rows) -> list[tuple[int, list[str]]]:
    """Rows with at least one non-blank cell, every cell as text."""
    try:
        return [(n, cells) for n, cells in rows if "".join(cells).strip()]
    except TypeError:  # cells that are not text: numbers, None
        rows = [(n, ["" if c is None else str(c) for c in cells]) for n, cells in rows]
        return [(n, cells) for n, cells in rows if "".join(cells).strip()]


def _columns(data, width: int, names: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(spreadsheet row of each case, name -> stripped values); empty unnamed columns dropped."""
    numbers = np.fromiter((n for n, _ in data), dtype=np.int64, count=len(data))
    cells = [c if len(c) == width else c + [""] * (width - len(c)) for _, c in data]
    matrix = np.empty((len(cells), width), dtype=object)
    matrix[:] = cells
    out: dict[str, np.ndarray] = {}
    for i, name in enumerate(names):
        values, _ = _remap(matrix[:, i], str.strip)
        if name.startswith("column ") and not (values != "").any():
            continue  # an unnamed, empty column: spreadsheet debris
        out[name] = values
    return numbers, out


def _empty_file(file, sheet, required) -> list[Problem]:
    return [
        Problem(
            Reason.EMPTY_FILE,
            "the file is empty." if sheet is None else f"the sheet '{sheet}' is empty.",
            file=file,
            allowed="a header row naming " + ", ".join(required) + ", then one row per case",
        )
    ]


def _no_cases(file, header_row) -> Problem:
    return Problem(
        Reason.NO_CASES,
        "the file has a header row but no cases below it.",
        file=file,
        row=header_row,
        allowed="one row per case below the header",
    )


def _run_checks(table: CaseTable) -> tuple[list[Problem], list[Problem], CaseTable, int | None]:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    seed = None
    for check in CHECKS:
        checked = check(table)
        problems += checked.problems
        warnings += checked.warnings
        seed = checked.seed if checked.seed is not None else seed
        if checked.values:
            table = CaseTable(
                table.file, table.required, table.numbers, {**table.values, **checked.values}
            )
    return problems, warnings, table, seed


def _in_users_words(problems, headings: Mapping[str, str]) -> list[Problem]:
    """Problems naming each column by the heading the user wrote ("CRN (case id)")."""
    return [
        dataclasses.replace(p, column=headings[p.column]) if p.column in headings else p
        for p in problems
    ]


def _check(rows, file, required, sheet) -> tuple[list[Problem], list[Problem], Sample | None]:
    """(problems, warnings, sample or None): :func:`check_case_rows` with the warnings kept
    when the list has problems too."""
    rows = _non_blank(rows)
    if not rows:
        return _empty_file(file, sheet, required), [], None
    h = find_header(rows)
    header_row, header = rows[h]
    data, footer = split_footer(rows[h + 1 :], file)
    width = max([len(header)] + [len(c) for _, c in data])
    names, found, problems = map_header(header, width, file, header_row)
    problems += missing_columns(names, found, required, file, header_row)
    headings = column_headings(found)
    if not data:
        return [*problems, _no_cases(file, header_row)], footer, None
    numbers, values = _columns(data, width, names)
    found_problems, warnings, table, seed = _run_checks(CaseTable(file, required, numbers, values))
    problems += found_problems
    if problems:
        place = {name: i for i, name in enumerate(names)}
        problems.sort(
            key=lambda p: (p.row is not None, p.row or 0, place.get(p.column, len(place)))
        )
        return (
            _in_users_words(problems, headings),
            _in_users_words([*footer, *warnings], headings),
            None,
        )
    out = {c: v for c, v in table.values.items() if c != SEED_COLUMN}
    ordered = [c for c in COLUMNS if c in out] + [c for c in out if c not in COLUMNS]
    cases = pd.DataFrame({c: pd.array(out[c], dtype="str") for c in ordered}, columns=ordered)
    warnings = _in_users_words(
        [*footer, *warnings, *_small_ldus(cases, file), *_young_ages(cases, file)], headings
    )
    sample = Sample(
        cases, tuple(warnings), file, seed, sheet, tuple(found), tuple(int(n) for n in numbers)
    )
    return [], warnings, sample


def check_case_rows(
    rows: list[tuple[int, list[str]]],
    file: str | None = None,
    required: tuple[str, ...] = REQUIRED,
    sheet: str | None = None,
) -> tuple[list[Problem], Sample | None]:
    """Check a case list given as (spreadsheet row, cells) rows.

    A row of totals below the cases (first cell Total, Totals or Grand total, the rest mostly
    numbers) is skipped with a warning naming its row. Every problem and warning names its
    column by the heading the user wrote, with its plain words when they differ
    ("CRN (case id)").

    Parameters
    ----------
    rows
        The rows as read, blank rows removed or not; a title may sit above the header.
    file, sheet
        Where the rows were read, for the problems' location.
    required
        The columns the list must have (``("case_id",)`` for a population to draw from).

    Returns
    -------
    tuple
        (problems, sample): problems is empty and sample set when the list can be imported;
        the sample's warnings name suspicious but valid data. Problems are in row order.
    """
    problems, _, sample = _check(rows, file, required, sheet)
    return problems, sample


def sample_from_rows(
    rows, file: str | None = None, required: tuple[str, ...] = REQUIRED, sheet: str | None = None
) -> Sample:
    """Check a case list as :func:`check_case_rows` does, raising SampleError on problems.

    Returns
    -------
    Sample
        The validated case list.

    Raises
    ------
    SampleError
        With every problem found, and the warnings found with them.
    """
    problems, warnings, sample = _check(rows, file, required, sheet)
    if problems:
        raise SampleError(problems, warnings=warnings)
    return sample
