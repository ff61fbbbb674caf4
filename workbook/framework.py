"""The inspection framework as data: domains, standards, key questions, bands and points.

A framework is a plain document (YAML on disk, read by :mod:`workbook.files`); this module holds
the frozen values it becomes and the framework's constants. The document is checked and turned
into these values by :mod:`workbook.framework_reader`. Nothing here reads files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

__all__ = [
    "ANSWERS",
    "RATED_FROM",
    "RATINGS",
    "ROUNDING_POLICIES",
    "Domain",
    "Framework",
    "KeyQuestion",
    "OverallBand",
    "Standard",
    "Threshold",
]

ANSWERS = ("yes", "no", "not_applicable")
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")  # best first
ROUNDING_POLICIES = ("half_up", "exact")
RATED_FROM = ("cases", "judgement")
_ID = re.compile(r"^\d+(\.\d+)*$")  # dotted numbers such as "2.1.3"


@dataclass(frozen=True)
class KeyQuestion:
    """A key question of a standard, answered on each case of a sample (or judged).

    Attributes
    ----------
    id : str
        Dotted numbers such as ``"2.1.3"``, starting with its standard's id.
    text : str
        The question as the framework words it.
    standard_id : str
        The id of the standard it belongs to.
    sample : str or None
        The case sample that answers it; None on a judged (domain one) standard.
    relevant_subsample : str or None
        The relevant sub-sample in words, where the question covers one.
    prompts : tuple of str
        Prompts that help the inspector answer.
    """

    id: str
    text: str
    standard_id: str
    sample: str | None  # None for judged (domain one) standards
    relevant_subsample: str | None = None  # description of the sub-sample, if any
    prompts: tuple[str, ...] = ()

    @property
    def allows_not_applicable(self) -> bool:
        """Not applicable is an allowed answer only where the KQ covers a relevant sub-sample."""
        return self.relevant_subsample is not None

    @property
    def allowed_answers(self) -> tuple[str, ...]:
        """The answers allowed: yes and no, and not applicable where it is allowed."""
        return ANSWERS if self.allows_not_applicable else ANSWERS[:2]


@dataclass(frozen=True)
class Standard:
    """A standard of a domain, rated from its key questions or by judgement.

    Attributes
    ----------
    id : str
        Such as ``"2.1"``, starting with its domain's id.
    name : str
        The standard's name.
    domain_id : str
        The id of its domain.
    headline : str
        The headline question of the standard.
    rated_from : str
        ``"cases"`` (from the key questions' answers) or ``"judgement"`` (decided).
    key_questions : tuple of KeyQuestion
        Its key questions, in order.
    counts_in_overall : bool
        Whether its rating counts towards the overall rating.
    """

    id: str
    name: str
    domain_id: str
    headline: str
    rated_from: str  # "cases" or "judgement"
    key_questions: tuple[KeyQuestion, ...]
    counts_in_overall: bool = True

    @property
    def label(self) -> str:
        """The id and name, such as ``"2.1 Assessment"``."""
        return f"{self.id} {self.name}"

    @property
    def samples(self) -> tuple[str, ...]:
        """The samples its key questions are answered on, in order of first use."""
        return tuple(dict.fromkeys(kq.sample for kq in self.key_questions if kq.sample))


@dataclass(frozen=True)
class Domain:
    """A domain of the framework: an id, a name and its standards."""

    id: str
    name: str
    standards: tuple[Standard, ...]


@dataclass(frozen=True)
class Threshold:
    """The lowest percentage of yes answers a key question needs for a rating."""

    rating: str
    min_pct: float


@dataclass(frozen=True)
class OverallBand:
    """An overall rating and the points per standard the total must exceed (None: lowest)."""

    rating: str
    above: float | None  # points must exceed above x number of standards


@dataclass(frozen=True)
class Framework:
    """A whole inspection framework: ratings, bands, points, samples and domains.

    Attributes
    ----------
    id, name, version, provider : str
        What the framework is and who publishes it.
    ratings : tuple of str
        The rating names, best first.
    thresholds : tuple of Threshold
        The key-question bands, best first.
    rounding : str
        How percentages are rounded before banding (one of ``ROUNDING_POLICIES``).
    points : Mapping of str to int
        The points each rating brings to the overall rating.
    overall_bands : tuple of OverallBand
        The overall bands, lowest first.
    samples : Mapping of str to str
        The case samples, id to label.
    domains : tuple of Domain
        The domains, in order.
    source : str or None
        The file the framework was read from.
    """

    id: str
    name: str
    version: str
    provider: str
    ratings: tuple[str, ...]  # best first
    thresholds: tuple[Threshold, ...]  # best first
    rounding: str
    points: Mapping[str, int]
    overall_bands: tuple[OverallBand, ...]  # lowest first
    samples: Mapping[str, str]  # id -> label
    domains: tuple[Domain, ...]
    source: str | None = None
    _kq_index: dict = field(default=None, repr=False, compare=False, hash=False)  # type: ignore[assignment]
    _std_index: dict = field(default=None, repr=False, compare=False, hash=False)  # type: ignore[assignment]

    def __post_init__(self):
        object.__setattr__(self, "_std_index", {s.id: s for d in self.domains for s in d.standards})
        object.__setattr__(
            self, "_kq_index", {q.id: q for s in self._std_index.values() for q in s.key_questions}
        )

    # -- lookups -----------------------------------------------------------------------------
    @property
    def standards(self) -> tuple[Standard, ...]:
        """Every standard, in framework order."""
        return tuple(self._std_index.values())

    @property
    def rated_key_questions(self) -> tuple[KeyQuestion, ...]:
        """Key questions answered case by case (domain one's are judged, not answered)."""
        return tuple(q for s in self.standards if s.rated_from == "cases" for q in s.key_questions)

    def standard(self, standard_id: str) -> Standard:
        """The standard of that id; KeyError when there is none."""
        try:
            return self._std_index[standard_id]
        except KeyError:
            raise KeyError(f"{standard_id!r} is not a standard of {self.id}") from None

    def key_question(self, kq_id: str) -> KeyQuestion:
        """The key question of that id; KeyError when there is none."""
        try:
            return self._kq_index[kq_id]
        except KeyError:
            raise KeyError(f"{kq_id!r} is not a key question of {self.id}") from None

    def has_key_question(self, kq_id: str) -> bool:
        """Whether a key question of that id is answered on cases."""
        q = self._kq_index.get(kq_id)
        return q is not None and q.sample is not None

    def has_standard(self, standard_id: str) -> bool:
        """Whether the framework has a standard of that id."""
        return standard_id in self._std_index

    def domain_of(self, standard_id: str) -> Domain:
        """The domain a standard belongs to; KeyError when there is none."""
        for d in self.domains:
            if any(s.id == standard_id for s in d.standards):
                return d
        raise KeyError(standard_id)

    def standards_for_sample(self, sample: str) -> tuple[Standard, ...]:
        """The standards with a key question answered on that sample."""
        return tuple(s for s in self.standards if sample in s.samples)

    def rank(self, rating: str) -> int:
        """0 for the worst rating, len(ratings) - 1 for the best."""
        return len(self.ratings) - 1 - self.ratings.index(rating)

    @property
    def counted_standards(self) -> tuple[Standard, ...]:
        """The standards whose ratings count towards the overall rating."""
        return tuple(s for s in self.standards if s.counts_in_overall)

    def with_rounding(self, rounding: str) -> Framework:
        """A copy of the framework with another rounding policy; ValueError on an unknown one."""
        if rounding not in ROUNDING_POLICIES:
            raise ValueError(f"rounding must be one of {', '.join(ROUNDING_POLICIES)}")
        return replace(self, rounding=rounding)
