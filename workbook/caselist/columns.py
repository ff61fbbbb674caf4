"""The case-list columns as one table of rows, with their vocabularies and parsers.

Every column is one row of :data:`COLUMN_TABLE`: its canonical name, the other names it may be
written with, whether a case list must have it, its vocabulary or parser, its label for people,
and flags saying where it is used. The reader, the checks, the judgement form's facts, the
dashboard's composition and the draw's strata all read this table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..judgements import CASE_ID_ALLOWED
from ..reasons import Reason

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
    """Return ``text`` in lower case, letters and digits only: how names and values are matched.

    Parameters
    ----------
    text
        A column name or a value as written.

    Returns
    -------
    str
        The matching key, such as ``"localdeliveryunit"``.
    """
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


# -- vocabularies and parsers ----------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The allowed values of one column: spellings (matched by ``canon``) -> stored value."""

    column: str
    noun: str  # "'x' is not {noun}"
    values: dict[str, str]
    allowed: str
    choices: tuple[str, ...]  # what a suggestion may name

    def normalise(self, value: str) -> str | None:
        """Return the stored value ``value`` spells, or None when it is not one."""
        return self.values.get(canon(value))

    def suggest(self, value: str) -> str | None:
        """Return the allowed value closest to ``value`` (for "Did you mean"), or None."""
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


@dataclass(frozen=True)
class Parser:
    """How a free-form column's values are read: the rule, its reason code and its words."""

    parse: Callable[[str], str | None]  # the stored text, or None when the value is refused
    code: Reason
    what: str  # "'x' is not {what}."
    allowed: str


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


# -- the column table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One case-list column: every rule about it in one row.

    Attributes
    ----------
    name
        The canonical name, as stored (``"ldu"``).
    label
        The short label people read in summaries and on the form (``"LDU"``).
    full_label
        The label written out, as on the dashboard (``"Local delivery unit"``).
    aliases
        Other names the column may be written with (matched by :func:`canon`).
    required
        Whether a case list for an inspection must have it.
    vocabulary, parser
        The allowed values, or the rule reading a free-form value; neither for free text.
    empty_allowed
        What the message says is allowed when a required value is empty.
    flags
        Where the column is used: ``summary``, ``fact``, ``composition``, ``stratum``,
        ``private``.
    words
        What a message calls the column in plain words, when the label lower-cased is not it
        (``"case id"``).
    """

    name: str
    label: str
    full_label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    vocabulary: Vocabulary | None = None
    parser: Parser | None = None
    empty_allowed: str | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    words: str = ""

    @property
    def plain(self) -> str:
        """The column in plain words, as a message names it (``"risk of serious harm"``,
        ``"LDU"``, ``"case id"``)."""
        if self.words:
            return self.words
        return self.label if self.label[:2].isupper() else self.label[0].lower() + self.label[1:]


def _flags(*names: str) -> frozenset[str]:
    return frozenset(names)


COLUMN_TABLE: tuple[Column, ...] = (
    Column(
        "case_id",
        "Case",
        "Case id",
        ("crn", "case", "case ref", "case reference", "case number", "case no"),
        required=True,
        empty_allowed=CASE_ID_ALLOWED,
        flags=_flags("private"),
        words="case id",
    ),
    Column(
        "sample",
        "Sample",
        "Sample",
        ("sample type", "sample name"),
        required=True,
        vocabulary=_vocabulary(
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
        flags=_flags("summary", "fact"),
    ),
    Column(
        "ldu",
        "LDU",
        "Local delivery unit",
        ("local delivery unit", "delivery unit", "pdu", "probation delivery unit"),
        required=True,
        empty_allowed="the name of the case's LDU",
        flags=_flags("summary", "fact", "stratum"),
    ),
    Column(
        "gender",
        "Gender",
        "Gender",
        ("sex",),
        required=True,
        vocabulary=_vocabulary(
            "gender",
            "a gender",
            {"male": ("m", "man", "men"), "female": ("f", "woman", "women"), "other": ()},
            "male, female, other (also M, F)",
        ),
        flags=_flags("summary", "fact", "composition", "stratum"),
    ),
    Column(
        "disposal",
        "Disposal",
        "Disposal",
        ("disposal type", "sentence type", "order type"),
        required=True,
        vocabulary=_vocabulary(
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
        flags=_flags("summary", "fact", "composition", "stratum"),
    ),
    Column(
        "rosh",
        "Risk of serious harm",
        "Risk of serious harm level",
        ("risk of serious harm", "rosh level", "risk level", "risk of serious harm level", "risk"),
        required=True,
        vocabulary=_vocabulary(
            "rosh",
            "a risk level",
            {"low": ("l",), "medium": ("m", "med"), "high": ("h",), "very high": ("vh", "v high")},
            ", ".join(RISK_LEVELS),
        ),
        flags=_flags("summary", "fact", "composition", "stratum"),
    ),
    Column(
        "officer_grade",
        "Officer grade",
        "Officer grade",
        ("grade", "officer grade", "case manager grade", "responsible officer grade"),
        vocabulary=_vocabulary(
            "officer_grade",
            "an officer grade",
            {
                "probation officer": ("po",),
                "probation services officer": ("pso", "probation service officer"),
                "trainee": ("trainee probation officer", "pqip", "tpo"),
            },
            "probation officer, probation services officer, trainee (also PO, PSO)",
        ),
        flags=_flags("fact", "composition", "stratum"),
    ),
    Column(
        "age",
        "Age",
        "Age at sentence",
        ("age at sentence", "age years"),
        parser=Parser(
            _parse_age, Reason.BAD_AGE, "an age in years", "a whole number of years, such as 34"
        ),
        flags=_flags("private"),
    ),
    Column(
        "ethnicity",
        "Ethnicity",
        "Ethnic group",
        ("ethnic group", "ethnic origin"),
        flags=_flags("private"),
    ),  # fmt: skip
    Column("disability", "Disability", "Disability", ("disabled",), flags=_flags("private")),
    Column(
        "mappa_level",
        "MAPPA level",
        "MAPPA level",
        ("mappa", "mappa level"),
        vocabulary=_vocabulary(
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
        flags=_flags("private"),
    ),
    Column(
        "sentence_date",
        "Sentence date",
        "Date of sentence",
        ("date of sentence", "sentence start", "sentence start date"),
        parser=Parser(
            _parse_date, Reason.BAD_DATE, "a date", "a date such as 2019-03-18 or 18/03/2019"
        ),
        flags=_flags("private"),
    ),
    Column(
        "inspector",
        "Inspector",
        "Inspector",
        ("assigned inspector", "inspector name"),
        empty_allowed=None,
        flags=_flags("fact"),
    ),
    Column(SEED_COLUMN, "Draw seed", "Draw seed", ("seed", "draw seed")),
)

COLUMNS_BY_NAME: dict[str, Column] = {c.name: c for c in COLUMN_TABLE}
REQUIRED = tuple(c.name for c in COLUMN_TABLE if c.required)
OPTIONAL = tuple(c.name for c in COLUMN_TABLE if not c.required and c.name != SEED_COLUMN)
COLUMNS = REQUIRED + OPTIONAL
VOCABULARIES: dict[str, Vocabulary] = {
    c.name: c.vocabulary for c in COLUMN_TABLE if c.vocabulary is not None
}
COLUMN_ALIASES: dict[str, str] = {canon(c.name): c.name for c in COLUMN_TABLE}
COLUMN_ALIASES.update({canon(a): c.name for c in COLUMN_TABLE for a in c.aliases})


def column_labels(flag: str, *, full: bool = False) -> tuple[tuple[str, str], ...]:
    """Return (column, label) for every column with ``flag``, in the table's order.

    Parameters
    ----------
    flag
        ``summary``, ``fact``, ``composition``, ``stratum`` or ``private``.
    full
        The written-out label (``"Local delivery unit"``) instead of the short one (``"LDU"``).

    Returns
    -------
    tuple of (str, str)
        Such as ``(("sample", "Sample"), ("ldu", "LDU"), ...)``.
    """
    return tuple(
        (c.name, c.full_label if full else c.label) for c in COLUMN_TABLE if flag in c.flags
    )


def plain_name(name: str) -> str:
    """Return a column in plain words: the table's words for a known column, else ``name``.

    Parameters
    ----------
    name
        A canonical column name (``"case_id"``) or any other column's heading.

    Returns
    -------
    str
        Such as ``"case id"`` or ``"risk of serious harm"``.
    """
    known = COLUMNS_BY_NAME.get(name)
    return known.plain if known else name


def heading_words(written: str, name: str) -> str:
    """Return how a message names a column: the heading as the user wrote it, with the plain
    words of its meaning after it when they differ (``"CRN (case id)"``, ``"Sex (gender)"``).

    Parameters
    ----------
    written
        The heading as written in the file.
    name
        The column's canonical name.

    Returns
    -------
    str
        ``written`` alone when it already says the plain words (``"LDU"``, ``"case_id"``).
    """
    written = shorten(written)
    plain = plain_name(name)
    if not written or canon(written) == canon(plain):
        return written or plain
    return f"{written} ({plain})"


def ldu_key(name: str) -> str:
    """Return the key LDU names are compared by: '&' is 'and', case and punctuation ignored.

    Parameters
    ----------
    name
        An LDU's name as written.

    Returns
    -------
    str
        The key two spellings of one LDU share.
    """
    return canon(re.sub(r"&|\+", " and ", str(name)))


def shorten(text: str, limit: int = 40) -> str:
    """Return ``text`` stripped, cut to ``limit`` characters with '...' when longer.

    Parameters
    ----------
    text
        A value to quote in a message.
    limit
        The most characters shown.

    Returns
    -------
    str
        The text as a message quotes it.
    """
    text = str(text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."
