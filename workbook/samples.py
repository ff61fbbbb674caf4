"""Case samples: the case-list rules, sample size and the stratified draw (pure, no I/O)."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist

import numpy as np
import pandas as pd

from .errors import Problem, SampleError


@dataclass(frozen=True)
class SampleSize:
    population: int | None
    confidence: float
    margin: float
    proportion: float
    z: float
    n0: float  # before the finite-population correction
    exact: float  # after it
    n: int  # rounded up

    @property
    def formula(self) -> str:
        text = f"n0 = z^2 p(1-p) / e^2 = {self.z:.4f}^2 x {self.proportion:g} x {1 - self.proportion:g} / {self.margin:g}^2 = {self.n0:.2f}"
        if self.population:
            text += f"; n = n0 / (1 + (n0 - 1) / N) = {self.n0:.2f} / (1 + {self.n0 - 1:.2f} / {self.population}) = {self.exact:.2f}"
        return text + f"; rounded up: {self.n}"


def sample_size(
    population: int | None, confidence: float = 0.80, margin: float = 0.05, proportion: float = 0.5
) -> SampleSize:
    """Cases needed to estimate a proportion within ``margin`` at ``confidence``, with the
    finite-population correction when the eligible population is known."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1, such as 0.80")
    if not 0 < margin < 1:
        raise ValueError("margin must be between 0 and 1, such as 0.05 for 5 points")
    if not 0 < proportion < 1:
        raise ValueError("proportion must be between 0 and 1")
    if population is not None and population < 1:
        raise ValueError("population must be 1 or more")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    exact = n0 / (1 + (n0 - 1) / population) if population else n0
    n = math.ceil(exact - 1e-9)
    if population:
        n = min(n, population)
    return SampleSize(population, confidence, margin, proportion, z, n0, exact, n)


# == case lists ==============================================================================
#
# A case list is read at the edge (workbook.files) into rows of text, each with the row number
# a spreadsheet shows; the rules below find the header, map the columns to canonical names,
# check every value and return a Sample, or raise SampleError with every problem.

REQUIRED = ("case_id", "sample", "ldu", "gender", "disposal", "rosh")
OPTIONAL = (
    "officer_grade",
    "age",
    "ethnicity",
    "disability",
    "mappa_level",
    "sentence_date",
    "inspector",
)
COLUMNS = REQUIRED + OPTIONAL
SEED_COLUMN = "draw_seed"
SMALL_LDU = 10  # an LDU with fewer cases than this in a sample large enough for more: a warning
HEADER_SEARCH = 20  # rows searched for the header when a title sits above it

SAMPLES = {
    "case_supervision": "case supervision",
    "unpaid_work": "unpaid work",
    "through_the_gate": "Through the Gate",
    "court_reports": "court reports",
    "victims": "victims",
}
RISK_LEVELS = ("low", "medium", "high", "very high")


def canon(text: object) -> str:
    """Lower case, letters and digits only: how column names and values are matched."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


_COLUMN_ALIASES = {
    "case_id": ("crn", "case", "case ref", "case reference", "case number", "case no"),
    "sample": ("sample type", "sample name"),
    "ldu": ("local delivery unit", "delivery unit", "pdu", "probation delivery unit"),
    "gender": ("sex",),
    "disposal": ("disposal type", "sentence type", "order type"),
    "rosh": (
        "risk of serious harm",
        "rosh level",
        "risk level",
        "risk of serious harm level",
        "risk",
    ),
    "officer_grade": ("grade", "officer grade", "case manager grade", "responsible officer grade"),
    "age": ("age at sentence", "age years"),
    "ethnicity": ("ethnic group", "ethnic origin"),
    "disability": ("disabled",),
    "mappa_level": ("mappa", "mappa level"),
    "sentence_date": ("date of sentence", "sentence start", "sentence start date"),
    "inspector": ("assigned inspector", "inspector name"),
    SEED_COLUMN: ("seed", "draw seed"),
}
COLUMN_ALIASES: dict[str, str] = {canon(c): c for c in (*COLUMNS, SEED_COLUMN)}
COLUMN_ALIASES.update({canon(a): c for c, aliases in _COLUMN_ALIASES.items() for a in aliases})


@dataclass(frozen=True)
class Vocabulary:
    """The allowed values of one column: spellings (matched by ``canon``) -> stored value."""

    column: str
    noun: str  # "'x' is not {noun}"
    values: dict[str, str]
    allowed: str
    choices: tuple[str, ...]  # what a suggestion may name

    def normalise(self, value: str) -> str | None:
        return self.values.get(canon(value))

    def suggest(self, value: str) -> str | None:
        key = canon(value)
        if not key:
            return None
        by_key = {canon(c): c for c in self.choices}
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
        return by_key[close[0]] if close else None


def _vocabulary(
    column, noun, spellings: dict[str, tuple[str, ...]], allowed, choices=None
) -> Vocabulary:
    values = {}
    for stored, words in spellings.items():
        for word in (stored, *words):
            values[canon(word)] = stored
    return Vocabulary(column, noun, values, allowed, tuple(choices or spellings))


VOCABULARIES: dict[str, Vocabulary] = {
    v.column: v
    for v in (
        _vocabulary(
            "sample",
            "a sample",
            {
                "case_supervision": ("case supervision", "supervision"),
                "unpaid_work": ("unpaid work", "upw", "community payback"),
                "through_the_gate": ("Through the Gate", "ttg"),
                "court_reports": ("court reports", "court report", "psr", "pre-sentence reports"),
                "victims": ("victim", "victim work"),
            },
            ", ".join(SAMPLES.values()),
            choices=tuple(SAMPLES.values()),
        ),
        _vocabulary(
            "gender",
            "a gender",
            {"male": ("m", "man", "men"), "female": ("f", "woman", "women"), "other": ()},
            "male, female, other (also M, F)",
        ),
        _vocabulary(
            "disposal",
            "a disposal",
            {
                "community": (
                    "community order",
                    "community sentence",
                    "co",
                    "suspended sentence order",
                    "sso",
                ),
                "licence": (
                    "license",
                    "licence supervision",
                    "post-release licence",
                    "custodial",
                    "custody",
                ),
            },
            "community, licence",
        ),
        _vocabulary(
            "rosh",
            "a risk level",
            {"low": ("l",), "medium": ("m", "med"), "high": ("h",), "very high": ("vh", "v high")},
            ", ".join(RISK_LEVELS),
        ),
        _vocabulary(
            "officer_grade",
            "an officer grade",
            {
                "probation officer": ("po",),
                "probation services officer": ("pso", "probation service officer"),
                "trainee": ("trainee probation officer", "pqip", "tpo"),
            },
            "probation officer, probation services officer, trainee (also PO, PSO)",
        ),
        _vocabulary(
            "mappa_level",
            "a MAPPA level",
            {
                "1": ("level 1", "l1"),
                "2": ("level 2", "l2"),
                "3": ("level 3", "l3"),
                "none": ("0", "no", "not mappa", "n/a", "na"),
            },
            "1, 2, 3, none",
        ),
    )
}

_EMPTY_ALLOWED = {
    "case_id": "the case's id, such as its CRN",
    "ldu": "the name of the case's LDU",
}

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
)


def _parse_date(text: str) -> str | None:
    text = text.strip()
    if " " in text and re.match(r"^\d{4}-\d{2}-\d{2} ", text):
        text = text.split(" ")[0]  # a date with a time of day, as spreadsheets export it
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _parse_age(text: str) -> str | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not value.is_integer() or not 0 <= value <= 130:
        return None
    return str(int(value))


def _parse_seed(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not value.is_integer() or value < 0:
        return None
    return int(value)


def ldu_key(name: str) -> str:
    """How LDU names are compared for spelling variants: '&' is 'and', case and punctuation ignored."""
    return canon(re.sub(r"&|\+", " and ", str(name)))


def _short(text: str, limit: int = 40) -> str:
    text = str(text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True, eq=False)
class Sample:
    """A validated case list: one row per case, canonical columns first, extra columns kept."""

    cases: pd.DataFrame
    warnings: tuple[Problem, ...] = ()
    source: str | None = None
    seed: int | None = None
    sheet: str | None = None
    columns_found: tuple[tuple[str, str], ...] = ()  # (column as written, canonical name)
    rows: tuple[int, ...] = ()  # the spreadsheet row of each case

    def __len__(self) -> int:
        return len(self.cases)

    @property
    def case_ids(self) -> list[str]:
        return self.cases["case_id"].tolist()

    @property
    def attributes(self) -> list[str]:
        """Columns other than case_id: what breakdowns can use."""
        return [c for c in self.cases.columns if c != "case_id"]

    def counts(self, column: str) -> pd.DataFrame:
        """Cases per value of ``column`` (value, cases, share), largest first."""
        return count_values(self.cases, column)

    def summary(self) -> dict[str, pd.DataFrame]:
        """The short summary ``check-sample`` prints: cases per sample, LDU, gender, disposal, risk."""
        titles = {
            "sample": "Sample",
            "ldu": "LDU",
            "gender": "Gender",
            "disposal": "Disposal",
            "rosh": "Risk of serious harm",
        }
        return {
            title: self.counts(col) for col, title in titles.items() if col in self.cases.columns
        }


def count_values(cases: pd.DataFrame, column: str) -> pd.DataFrame:
    values = cases[column].astype(str).replace("", "(empty)")
    counts = values.value_counts(sort=False)
    table = pd.DataFrame({column: counts.index.astype(str), "cases": counts.to_numpy()})
    table = table.sort_values(
        ["cases", column], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    table["share"] = table["cases"] / max(len(cases), 1)
    return table


def column_score(cells: list[str]) -> int:
    """How many distinct known columns a row names: the header is the row that names most."""
    return len({COLUMN_ALIASES[k] for k in map(canon, cells) if k in COLUMN_ALIASES})


def find_header(rows: list[tuple[int, list[str]]]) -> int:
    """Index (in ``rows``) of the header row: the first of the best-scoring of the first rows."""
    best, best_score = 0, 0
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        score = column_score(cells)
        if score > best_score:
            best, best_score = i, score
    return best


def check_case_rows(
    rows: list[tuple[int, list[str]]],
    file: str | None = None,
    required: tuple[str, ...] = REQUIRED,
    sheet: str | None = None,
) -> tuple[list[Problem], Sample | None]:
    """Check a case list given as (spreadsheet row, cells) rows; blank rows already removed or not.

    Returns (problems, sample): problems is empty and sample set when the list can be imported;
    the sample's warnings name suspicious but valid data.
    """
    rows = _non_blank(rows)
    if not rows:
        return [
            Problem(
                "empty_file",
                "the file is empty." if sheet is None else f"the sheet '{sheet}' is empty.",
                file=file,
                allowed="a header row naming " + ", ".join(required) + ", then one row per case",
            )
        ], None
    h = find_header(rows)
    header_row, header = rows[h]
    data = rows[h + 1 :]
    problems: list[Problem] = []

    # -- columns
    names: list[str] = []
    found: list[tuple[str, str]] = []
    first_of: dict[str, str] = {}
    width = max([len(header)] + [len(c) for _, c in data])
    for i in range(width):
        written = header[i].strip() if i < len(header) else ""
        name = COLUMN_ALIASES.get(canon(written)) if written else None
        if name is None:
            name = written or f"column {_column_letter(i)}"
        if name in first_of:
            problems.append(
                Problem(
                    "duplicate_column",
                    f"the column '{_short(written)}' repeats the column '{_short(first_of[name])}' (both mean {name}).",
                    file=file,
                    row=header_row,
                    column=written,
                    value=written,
                    allowed="each column once",
                )
            )
            name = f"{name} ({_column_letter(i)})"
        first_of.setdefault(name, written)
        names.append(name)
        if written:
            found.append((written, name))
    listed = [_short(w) for w, _ in found[:20]] + (["..."] if len(found) > 20 else [])
    for column in required:
        if column not in names:
            problems.append(
                Problem(
                    "missing_column",
                    f"the column '{column}' is missing (columns found: {', '.join(listed) or 'none'}).",
                    file=file,
                    row=header_row,
                    column=column,
                    allowed=_column_allowed(column),
                )
            )
    if not data:
        problems.append(
            Problem(
                "no_cases",
                "the file has a header row but no cases below it.",
                file=file,
                row=header_row,
                allowed="one row per case below the header",
            )
        )
        return problems, None

    numbers = np.fromiter((n for n, _ in data), dtype=np.int64, count=len(data))
    cells = [c if len(c) == width else c + [""] * (width - len(c)) for _, c in data]
    matrix = np.empty((len(cells), width), dtype=object)
    matrix[:] = cells
    out: dict[str, np.ndarray] = {}
    for i, name in enumerate(names):
        raw = matrix[:, i]
        values, _ = _remap(raw, str.strip)
        if name.startswith("column ") and not (values != "").any():
            continue  # an unnamed, empty column: spreadsheet debris
        out[name] = values

    # -- values
    def flag(positions, code, message, column, values=None, allowed=None):
        for p in positions:
            v = None if values is None else values[p]
            m = message(v) if callable(message) else message
            problems.append(
                Problem(
                    code, m, file=file, row=int(numbers[p]), column=column, value=v, allowed=allowed
                )
            )

    if "case_id" in out:
        ids = out["case_id"]
        empty = ids == ""
        flag(
            np.flatnonzero(empty),
            "empty_case_id",
            "the case id is empty.",
            "case_id",
            allowed=_EMPTY_ALLOWED["case_id"],
        )
        codes, _ = pd.factorize(ids)
        _, first = np.unique(codes, return_index=True)
        for p in np.flatnonzero((np.arange(len(ids)) != first[codes]) & ~empty):
            problems.append(
                Problem(
                    "duplicate_case_id",
                    f"case '{_short(ids[p])}' appears twice (first at row {numbers[first[codes[p]]]}).",
                    file=file,
                    row=int(numbers[p]),
                    column="case_id",
                    value=ids[p],
                    allowed="each case once",
                )
            )
    for column, vocab in VOCABULARIES.items():
        if column not in out:
            continue
        values = out[column]
        if column in required:
            flag(
                np.flatnonzero(values == ""),
                "empty_value",
                "the value is empty.",
                column,
                allowed=vocab.allowed,
            )
        mapped, bad = _remap(values, lambda u, vocab=vocab: vocab.normalise(u) if u else "")

        def unknown(raw, vocab=vocab):
            hint = vocab.suggest(raw)
            return f"'{_short(raw)}' is not {vocab.noun}." + (
                f" Did you mean '{hint}'?" if hint else ""
            )

        flag(bad, "unknown_value", unknown, column, values, allowed=vocab.allowed)
        out[column] = mapped
    for column in ("ldu", "inspector"):
        if column in required and column in out:
            flag(
                np.flatnonzero(out[column] == ""),
                "empty_value",
                "the value is empty.",
                column,
                allowed=_EMPTY_ALLOWED.get(column),
            )
    for column, parse, code, what, allowed in (
        ("age", _parse_age, "bad_age", "an age in years", "a whole number of years, such as 34"),
        (
            "sentence_date",
            _parse_date,
            "bad_date",
            "a date",
            "a date such as 2019-03-18 or 18/03/2019",
        ),
    ):
        if column in out:
            values = out[column]
            mapped, bad = _remap(values, lambda u, parse=parse: parse(u) if u else "")
            flag(
                bad,
                code,
                lambda raw, what=what: f"'{_short(raw)}' is not {what}.",
                column,
                values,
                allowed=allowed,
            )
            out[column] = mapped

    seed = None
    if SEED_COLUMN in out:
        col = out.pop(SEED_COLUMN)
        seeds = {u: _parse_seed(u) for u in pd.unique(col) if u}
        bad = [u for u, s in seeds.items() if s is None]
        for u in bad:
            p = int(np.flatnonzero(col == u)[0])
            problems.append(
                Problem(
                    "bad_seed",
                    f"'{_short(u)}' is not a draw seed.",
                    file=file,
                    row=int(numbers[p]),
                    column=SEED_COLUMN,
                    value=u,
                    allowed="a whole number, the same on every row",
                )
            )
        good = sorted({s for s in seeds.values() if s is not None})
        if len(good) > 1:
            problems.append(
                Problem(
                    "mixed_seeds",
                    f"the rows record different draw seeds ({', '.join(map(str, good[:5]))}).",
                    file=file,
                    column=SEED_COLUMN,
                    allowed="one seed for the whole sample",
                )
            )
        elif good:
            seed = good[0]

    if "ldu" in out:
        ldu_errors, ldu_warnings = _ldu_spellings(
            pd.Series(out["ldu"], dtype=object), numbers, file
        )
        problems.extend(ldu_errors)
    else:
        ldu_warnings = []

    if problems:
        place = {name: i for i, name in enumerate(names)}
        problems.sort(
            key=lambda p: (p.row is not None, p.row or 0, place.get(p.column, len(place)))
        )
        return problems, None

    ordered = [c for c in COLUMNS if c in out] + [c for c in out if c not in COLUMNS]
    cases = pd.DataFrame({c: pd.array(out[c], dtype="str") for c in ordered}, columns=ordered)
    warnings = tuple(ldu_warnings + _warnings(cases, file))
    return [], Sample(
        cases, warnings, file, seed, sheet, tuple(found), tuple(int(n) for n in numbers)
    )


def _non_blank(rows) -> list[tuple[int, list[str]]]:
    """Rows with at least one non-blank cell, every cell as text."""
    try:
        return [(n, cells) for n, cells in rows if "".join(cells).strip()]
    except TypeError:  # cells that are not text: numbers, None
        rows = [(n, ["" if c is None else str(c) for c in cells]) for n, cells in rows]
        return [(n, cells) for n, cells in rows if "".join(cells).strip()]


def _strip_text(value) -> str:
    return "" if value is None or value != value else str(value).strip()


def _sorted_codes(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(code of each value, the distinct values as stripped text, sorted)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [_strip_text(u) for u in uniques] + [""]  # the last one: missing values
    labels, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True)
    codes = np.where(codes < 0, len(texts) - 1, codes)
    return inverse.reshape(-1)[codes], [str(v) for v in labels]


def _remap(values: np.ndarray, rule) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``rule`` once per distinct value: (new values, positions where the rule gave None)."""
    codes, uniques = pd.factorize(values)
    results = [rule(u) for u in uniques]
    bad_codes = [i for i, r in enumerate(results) if r is None]
    table = np.array([("" if r is None else r) for r in results] + [""], dtype=object)
    bad = np.flatnonzero(np.isin(codes, bad_codes)) if bad_codes else np.array([], dtype=np.int64)
    return table[codes], bad


def sample_from_rows(
    rows, file: str | None = None, required: tuple[str, ...] = REQUIRED, sheet: str | None = None
) -> Sample:
    """:func:`check_case_rows`, raising SampleError with every problem."""
    problems, sample = check_case_rows(rows, file=file, required=required, sheet=sheet)
    if problems:
        raise SampleError(problems)
    return sample


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _column_allowed(column: str) -> str:
    aliases = _COLUMN_ALIASES.get(column, ())[:2]
    written = [a.upper() if len(a) <= 3 else a for a in aliases]
    return f"a column named {column}" + (f" (or {', '.join(written)})" if written else "")


def _ldu_spellings(
    ldu: pd.Series, numbers: np.ndarray, file: str | None
) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for LDU names written two ways. Names that differ only in '&' or
    'and', case, spaces or punctuation are errors: the user confirms and uses one spelling.
    Names a letter or two apart ('Worcestershre') are warnings, since real LDUs can be that
    close ('... North East' and '... North West')."""
    counts = ldu[ldu != ""].value_counts(sort=False)
    if len(counts) < 2:
        return [], []
    names = sorted(counts.index, key=lambda n: (-counts[n], n))
    keys = {n: ldu_key(n) for n in names}
    same: dict[str, list[str]] = {}
    for name in names:
        same.setdefault(keys[name], []).append(name)
    values = ldu.to_numpy()

    def first_row(name):
        return int(numbers[np.flatnonzero(values == name)[0]])

    def cases(name):
        return f"{counts[name]} case{'s' if counts[name] != 1 else ''}"

    errors, warnings = [], []
    for group in same.values():
        main = group[0]
        for other in group[1:]:
            errors.append(
                Problem(
                    "ldu_spelling",
                    f"the LDU '{_short(other, 60)}' ({cases(other)}) differs only in spelling from '{_short(main, 60)}' ({cases(main)}): confirm they are the same LDU and use one spelling.",
                    file=file,
                    row=first_row(other),
                    column="ldu",
                    value=other,
                    allowed=f"one spelling for each LDU, such as '{_short(main, 60)}'",
                )
            )
    heads = [g[0] for g in same.values()]
    if len(heads) <= 200:
        for i, a in enumerate(heads):
            for b in heads[i + 1 :]:
                ka, kb = keys[a], keys[b]
                if (
                    min(len(ka), len(kb)) >= 8
                    and difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.92
                ):
                    warnings.append(
                        Problem(
                            "ldu_similar",
                            f"the LDUs '{_short(b, 60)}' ({cases(b)}, first at row {first_row(b)}) and '{_short(a, 60)}' ({cases(a)}) are spelt almost alike: check they are different LDUs.",
                            file=file,
                            column="ldu",
                            value=b,
                        )
                    )
    return errors, warnings


def _warnings(cases: pd.DataFrame, file: str | None) -> list[Problem]:
    out = []
    if "ldu" in cases.columns:
        groups = (
            cases.groupby(["sample", "ldu"], sort=True).size()
            if "sample" in cases.columns
            else None
        )
        if groups is not None:
            for sample_id in sorted(cases["sample"].unique()):
                per_ldu = groups.loc[sample_id]
                if len(per_ldu) < 2 or per_ldu.sum() < SMALL_LDU * len(per_ldu):
                    continue  # one LDU, or a sample too small for every LDU to have 10
                for ldu, n in per_ldu.items():
                    if n < SMALL_LDU:
                        label = SAMPLES.get(sample_id, sample_id)
                        out.append(
                            Problem(
                                "small_ldu",
                                f"the LDU '{_short(ldu, 60)}' has {n} case{'s' if n != 1 else ''} in the {label} sample: under {SMALL_LDU}, so its results have a wide margin of error.",
                                file=file,
                                column="ldu",
                                value=ldu,
                            )
                        )
    if "age" in cases.columns:
        ages = pd.to_numeric(cases["age"].replace("", None), errors="coerce")
        young = int((ages < 18).sum())
        if young:
            out.append(
                Problem(
                    "young_age",
                    f"{young} case{'s are' if young != 1 else ' is'} under 18: adult probation cases are 18 or over.",
                    file=file,
                    column="age",
                )
            )
    return out


# == the stratified draw =====================================================================


@dataclass(frozen=True, eq=False)
class Draw:
    """A drawn sample: the cases, each stratum's share in population and sample, the seed."""

    sample: pd.DataFrame
    table: (
        pd.DataFrame
    )  # one row per stratum: keys, population, population_share, sample, sample_share
    margins: pd.DataFrame  # one row per value of each stratum column: column, value, shares
    seed: int
    strata: tuple[str, ...]
    within: str | None
    population: int

    @property
    def n(self) -> int:
        return len(self.sample)

    def with_seed_column(self) -> pd.DataFrame:
        """The sample as written to a file: the seed recorded on every row (``draw_seed``)."""
        out = self.sample.copy()
        out[SEED_COLUMN] = str(self.seed)
        return out


def allocate_largest_remainder(sizes: list[int] | np.ndarray, n: int) -> np.ndarray:
    """Share ``n`` out in proportion to ``sizes``: whole quotas first, then one more to the
    largest remainders (ties: the larger stratum, then the earlier one)."""
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    if total == 0 or n == 0:
        return np.zeros(len(sizes), dtype=np.int64)
    exact = sizes * n / total
    base = np.floor(exact + 1e-9).astype(np.int64)
    left = n - int(base.sum())
    if left > 0:
        remainder = exact - base
        order = sorted(range(len(sizes)), key=lambda i: (-round(remainder[i], 12), -sizes[i], i))
        for i in order[:left]:
            base[i] += 1
    return np.minimum(base, sizes)


def allocate_strata(
    cells: pd.DataFrame,
    sizes: np.ndarray,
    n: int,
    groups: np.ndarray | None = None,
    group_alloc: dict | None = None,
) -> np.ndarray:
    """Largest-remainder allocation over strata that cross several columns (gender x disposal
    x risk): every stratum gets its whole quota, and the cases left over go one each to the
    strata with the largest remainder plus the shortfall of their values' totals, so that each
    column's shares (not only each stratum's) stay as close as rounding allows. With one column
    this is the plain largest-remainder method. ``groups`` (one label per stratum) with
    ``group_alloc`` (label -> cases) fixes how many cases each group (such as an LDU) gets."""
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    if total == 0 or n == 0 or (cells.shape[1] <= 1 and groups is None):
        return allocate_largest_remainder(sizes, n)
    exact = sizes * n / total
    alloc = np.floor(exact + 1e-9).astype(np.int64)
    left = n - int(alloc.sum())
    columns = [cells[c].to_numpy() for c in cells.columns]
    codes = [pd.factorize(values)[0] for values in columns]
    quota = [np.bincount(c, weights=exact) for c in codes]
    open_cells = [i for i in range(len(sizes)) if exact[i] - alloc[i] > 1e-9]
    if groups is not None:
        need = {g: a - int(alloc[groups == g].sum()) for g, a in group_alloc.items()}
    for _ in range(left):
        if groups is not None:
            open_cells = [i for i in open_cells if need[groups[i]] > 0]
        given = [
            np.bincount(c, weights=alloc, minlength=len(q))
            for c, q in zip(codes, quota, strict=True)
        ]

        def priority(i, given=given):
            shortfall = sum(q[c[i]] - g[c[i]] for c, q, g in zip(codes, quota, given, strict=True))
            return (round(exact[i] - alloc[i] + shortfall, 9), sizes[i], -i)

        best = max(open_cells, key=priority)
        alloc[best] += 1
        open_cells.remove(best)
        if groups is not None:
            need[groups[best]] -= 1
    return alloc


def draw_sample(
    population: pd.DataFrame,
    n: int,
    strata: str | list[str] | tuple[str, ...],
    within: str | None = None,
    seed: int | None = None,
    min_per_stratum: int = 0,
) -> Draw:
    """Proportional stratified draw of ``n`` cases: largest-remainder allocation over the strata
    (first across the ``within`` groups, such as LDUs, then within each), random within each
    stratum with ``numpy.random.default_rng(seed)``; the same population and seed give the same
    sample. Raises SampleError for n larger than the population, an unknown stratum column,
    an empty stratum value, or a stratum too small to allocate."""
    if isinstance(strata, str):
        strata = [s.strip() for s in strata.split(",") if s.strip()]
    strata = tuple(strata)
    problems: list[Problem] = []
    if (
        seed is None
        or isinstance(seed, bool)
        or not isinstance(seed, (int, np.integer))
        or seed < 0
    ):
        problems.append(
            Problem(
                "bad_seed",
                f"the seed '{seed}' is not a whole number of 0 or more.",
                place="seed",
                value=seed,
                allowed="a whole number such as 7; it is recorded so the draw can be repeated",
            )
        )
    total = len(population)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        problems.append(
            Problem(
                "bad_n",
                f"the sample size '{n}' is not a whole number of 1 or more.",
                place="n",
                value=n,
                allowed=f"1 to {total}",
            )
        )
    elif n > total:
        problems.append(
            Problem(
                "n_too_large",
                f"a sample of {n} cases cannot be drawn from a population of {total}.",
                place="n",
                value=n,
                allowed=f"1 to {total}",
            )
        )
    columns = [str(c) for c in population.columns]
    keys = ([within] if within else []) + [s for s in strata if s != within]
    if not strata:
        problems.append(
            Problem(
                "no_strata",
                "no stratum column was given.",
                place="strata",
                allowed=", ".join(columns),
            )
        )
    for k in keys:
        if k not in population.columns:
            problems.append(
                Problem(
                    "unknown_stratum",
                    f"'{k}' is not a column of the population.",
                    place="strata" if k != within else "within",
                    column=k,
                    value=k,
                    allowed=", ".join(columns),
                )
            )
    if problems:
        raise SampleError(problems)
    factors = {k: _sorted_codes(population[k].to_numpy(dtype=object)) for k in keys}
    for k in keys:
        codes_k, labels_k = factors[k]
        empty = (
            np.flatnonzero(codes_k == labels_k.index(""))
            if "" in labels_k
            else np.array([], dtype=np.int64)
        )
        for p in empty[:20]:
            cid = population["case_id"].iat[p] if "case_id" in population.columns else str(p + 1)
            problems.append(
                Problem(
                    "empty_stratum_value",
                    f"case '{cid}' has no value for the stratum column '{k}'.",
                    column=k,
                    place=f"case {cid}",
                    allowed="a value on every case",
                )
            )
        if len(empty) > 20:
            problems.append(
                Problem(
                    "empty_stratum_value",
                    f"... and {len(empty) - 20} more cases have no value for '{k}'.",
                    column=k,
                )
            )
    if problems:
        raise SampleError(problems)

    shape = [len(factors[k][1]) for k in keys]
    combined = np.ravel_multi_index([factors[k][0] for k in keys], shape)
    cell_ids, codes = np.unique(combined, return_inverse=True)  # cells in the keys' sort order
    sizes = np.bincount(codes, minlength=len(cell_ids))
    cell_codes = np.unravel_index(cell_ids, shape)
    cells = pd.DataFrame(
        {k: np.array(factors[k][1], dtype=object)[c] for k, c in zip(keys, cell_codes, strict=True)}
    )
    if within:
        groups = cells[within].to_numpy()
        group_names = sorted(set(groups))
        group_sizes = [int(sizes[groups == g].sum()) for g in group_names]
        group_alloc = allocate_largest_remainder(group_sizes, int(n))
        for g, size, a in zip(group_names, group_sizes, group_alloc, strict=True):
            if a == 0:
                problems.append(
                    Problem(
                        "stratum_too_small",
                        f"the {within} '{g}' has {size} of {total} cases, too few to get one case in a sample of {n}.",
                        column=within,
                        value=g,
                        allowed=f"a larger sample, or draw without --within {within}",
                    )
                )
        alloc = allocate_strata(
            cells[keys],
            sizes,
            int(n),
            groups,
            dict(zip(group_names, group_alloc.tolist(), strict=True)),
        )
    else:
        alloc = allocate_strata(cells[keys], sizes, int(n))
    if min_per_stratum > 0:
        for i in np.flatnonzero(sizes < min_per_stratum):
            label = ", ".join(f"{k}={cells.at[i, k]}" for k in keys)
            problems.append(
                Problem(
                    "stratum_too_small",
                    f"the stratum {label} has {sizes[i]} case{'s' if sizes[i] != 1 else ''}, fewer than the {min_per_stratum} each stratum must give.",
                    value=label,
                    allowed=f"strata of at least {min_per_stratum} cases: merge small strata or use fewer stratum columns",
                )
            )
    if problems:
        raise SampleError(problems)

    rng = np.random.default_rng(int(seed))
    order = np.argsort(codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    chosen = []
    for i, k in enumerate(alloc):
        if k:
            members = order[starts[i] : starts[i + 1]]
            chosen.append(members[rng.choice(len(members), size=int(k), replace=False)])
    picked = np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)
    sample = population.iloc[picked].reset_index(drop=True)

    table = cells.copy()
    table["population"] = sizes
    table["population_share"] = sizes / total
    table["sample"] = alloc
    table["sample_share"] = alloc / int(n)
    margin_rows = []
    for k in keys:
        codes_k, labels_k = factors[k]
        pop_counts = np.bincount(codes_k, minlength=len(labels_k))
        smp_counts = np.bincount(codes_k[picked], minlength=len(labels_k))
        for value, p, s in zip(labels_k, pop_counts.tolist(), smp_counts.tolist(), strict=True):
            if p:
                margin_rows.append(
                    {
                        "column": k,
                        "value": value,
                        "population": p,
                        "population_share": p / total,
                        "sample": s,
                        "sample_share": s / int(n),
                    }
                )
    margins = pd.DataFrame(
        margin_rows,
        columns=["column", "value", "population", "population_share", "sample", "sample_share"],
    )
    return Draw(sample, table, margins, int(seed), strata, within, total)


def format_share_table(table: pd.DataFrame) -> str:
    """A table as aligned text: words left, numbers right, shares as percentages (one decimal)."""
    shown = table.copy()
    numeric = {c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])}
    for c in shown.columns:
        if c in ("population_share", "sample_share", "share"):
            shown[c] = (shown[c] * 100).map(lambda v: f"{v:.1f}%")
        else:
            shown[c] = shown[c].astype(str)
    headers = [str(c).replace("_", " ") for c in shown.columns]
    widths = [
        max([len(h)] + [len(v) for v in shown[c]])
        for h, c in zip(headers, shown.columns, strict=True)
    ]
    lines = []
    for cells in [headers, *shown.itertuples(index=False, name=None)]:
        parts = [
            str(v).rjust(w) if c in numeric or c.endswith("share") else str(v).ljust(w)
            for v, w, c in zip(cells, widths, map(str, shown.columns), strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
