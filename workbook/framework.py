"""The inspection framework as data: domains, standards, key questions, bands and points.

A framework is a plain document (YAML on disk, read by :mod:`workbook.files`); this module turns
the parsed document into frozen values and validates it, reporting every problem at once with
its place in the document. Nothing here reads files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import FrameworkError, Problem

ANSWERS = ("yes", "no", "not_applicable")
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")  # best first
ROUNDING_POLICIES = ("half_up", "exact")
RATED_FROM = ("cases", "judgement")
_ID = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class KeyQuestion:
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
        return ANSWERS if self.allows_not_applicable else ANSWERS[:2]


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    domain_id: str
    headline: str
    rated_from: str  # "cases" or "judgement"
    key_questions: tuple[KeyQuestion, ...]
    counts_in_overall: bool = True

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"

    @property
    def samples(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(kq.sample for kq in self.key_questions if kq.sample))


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    standards: tuple[Standard, ...]


@dataclass(frozen=True)
class Threshold:
    rating: str
    min_pct: float


@dataclass(frozen=True)
class OverallBand:
    rating: str
    above: float | None  # points must exceed above x number of standards


@dataclass(frozen=True)
class Framework:
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
        return tuple(self._std_index.values())

    @property
    def rated_key_questions(self) -> tuple[KeyQuestion, ...]:
        """Key questions answered case by case (domain one's are judged, not answered)."""
        return tuple(q for s in self.standards if s.rated_from == "cases" for q in s.key_questions)

    def standard(self, standard_id: str) -> Standard:
        try:
            return self._std_index[standard_id]
        except KeyError:
            raise KeyError(f"{standard_id!r} is not a standard of {self.id}") from None

    def key_question(self, kq_id: str) -> KeyQuestion:
        try:
            return self._kq_index[kq_id]
        except KeyError:
            raise KeyError(f"{kq_id!r} is not a key question of {self.id}") from None

    def has_key_question(self, kq_id: str) -> bool:
        q = self._kq_index.get(kq_id)
        return q is not None and q.sample is not None

    def has_standard(self, standard_id: str) -> bool:
        return standard_id in self._std_index

    def domain_of(self, standard_id: str) -> Domain:
        for d in self.domains:
            if any(s.id == standard_id for s in d.standards):
                return d
        raise KeyError(standard_id)

    def standards_for_sample(self, sample: str) -> tuple[Standard, ...]:
        return tuple(s for s in self.standards if sample in s.samples)

    def rank(self, rating: str) -> int:
        """0 for the worst rating, len(ratings) - 1 for the best."""
        return len(self.ratings) - 1 - self.ratings.index(rating)

    @property
    def counted_standards(self) -> tuple[Standard, ...]:
        return tuple(s for s in self.standards if s.counts_in_overall)

    def with_rounding(self, rounding: str) -> Framework:
        if rounding not in ROUNDING_POLICIES:
            raise ValueError(f"rounding must be one of {', '.join(ROUNDING_POLICIES)}")
        from dataclasses import replace

        return replace(self, rounding=rounding)


# -- building and validating ---------------------------------------------------------------------


def framework_from_dict(doc: Any, source: str | None = None) -> Framework:
    """Validate a parsed framework document and build a :class:`Framework`.

    Every problem is collected, then one :class:`FrameworkError` is raised.
    """
    problems: list[Problem] = []

    def bad(code: str, place: str, message: str, value=None, allowed=None):
        problems.append(
            Problem(code, message, file=source, place=place, value=value, allowed=allowed)
        )

    if not isinstance(doc, Mapping):
        raise FrameworkError(
            Problem(
                "not_a_mapping",
                "the document is not a mapping of fields (id, name, domains, ...).",
                file=source,
            )
        )

    def text(obj: Mapping, key: str, place: str, required=True) -> str:
        value = obj.get(key) if isinstance(obj, Mapping) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                bad("missing_text", f"{place}.{key}", f"'{key}' is missing or empty.")
            return ""
        if not isinstance(value, (str, int, float)):
            bad(
                "not_text",
                f"{place}.{key}",
                f"'{key}' must be text, not {type(value).__name__}.",
                value,
            )
            return ""
        return str(value).strip()

    fw_id = text(doc, "id", "framework")
    name = text(doc, "name", "framework")
    version = text(doc, "version", "framework")
    provider = text(doc, "provider", "framework", required=False)

    ratings = doc.get("ratings", list(RATINGS))
    if (
        not isinstance(ratings, list)
        or len(ratings) < 2
        or not all(isinstance(r, str) for r in ratings)
    ):
        bad(
            "bad_ratings",
            "ratings",
            "ratings must be a list of at least two names, best first.",
            ratings,
        )
        ratings = list(RATINGS)
    if len(set(ratings)) != len(ratings):
        bad("duplicate_id", "ratings", "a rating name appears twice.", ratings)
    allowed_ratings = ", ".join(ratings)

    # key-question bands
    kqb = doc.get("key_question_bands") or {}
    rounding = kqb.get("rounding", "half_up") if isinstance(kqb, Mapping) else "half_up"
    if rounding not in ROUNDING_POLICIES:
        bad(
            "bad_rounding",
            "key_question_bands.rounding",
            f"'{rounding}' is not a rounding policy.",
            rounding,
            ", ".join(ROUNDING_POLICIES),
        )
        rounding = "half_up"
    thresholds: list[Threshold] = []
    raw_thresholds = kqb.get("thresholds") if isinstance(kqb, Mapping) else None
    if not isinstance(raw_thresholds, list) or not raw_thresholds:
        bad(
            "missing_thresholds",
            "key_question_bands.thresholds",
            "the band thresholds are missing.",
        )
    else:
        for i, t in enumerate(raw_thresholds):
            place = f"key_question_bands.thresholds[{i}]"
            r = t.get("rating") if isinstance(t, Mapping) else None
            m = t.get("min_pct") if isinstance(t, Mapping) else None
            if r not in ratings:
                bad(
                    "unknown_rating",
                    f"{place}.rating",
                    f"'{r}' is not a rating of this framework.",
                    r,
                    allowed_ratings,
                )
                continue
            if not isinstance(m, (int, float)) or not 0 <= m <= 100:
                bad(
                    "bad_threshold",
                    f"{place}.min_pct",
                    f"'{m}' is not a percentage from 0 to 100.",
                    m,
                )
                continue
            thresholds.append(Threshold(r, float(m)))
        named = [t.rating for t in thresholds]
        if len(thresholds) == len(raw_thresholds) and named != list(ratings):
            bad(
                "bad_threshold",
                "key_question_bands.thresholds",
                f"the thresholds name {', '.join(named)}; they must name every rating once, in the order of 'ratings' (best first).",
                named,
                ", ".join(ratings),
            )
        mins = [t.min_pct for t in thresholds]
        if mins != sorted(mins, reverse=True) or (thresholds and thresholds[-1].min_pct != 0):
            bad(
                "bad_threshold",
                "key_question_bands.thresholds",
                "thresholds must run best first, each lower than the one before, ending at 0.",
                mins,
            )

    # overall
    overall = doc.get("overall") or {}
    points_raw = overall.get("points") if isinstance(overall, Mapping) else None
    points: dict[str, int] = {}
    if not isinstance(points_raw, Mapping):
        bad("missing_points", "overall.points", "points per rating are missing.")
    else:
        for r in ratings:
            p = points_raw.get(r)
            if not isinstance(p, int):
                bad(
                    "bad_points",
                    f"overall.points.{r}",
                    f"the points for '{r}' must be a whole number.",
                    p,
                )
            else:
                points[r] = p
        for r in points_raw:
            if r not in ratings:
                bad(
                    "unknown_rating",
                    f"overall.points.{r}",
                    f"'{r}' is not a rating of this framework.",
                    r,
                    allowed_ratings,
                )
    bands: list[OverallBand] = []
    raw_bands = overall.get("bands") if isinstance(overall, Mapping) else None
    if not isinstance(raw_bands, list) or not raw_bands:
        bad("missing_bands", "overall.bands", "the overall bands are missing.")
    else:
        for i, b in enumerate(raw_bands):
            place = f"overall.bands[{i}]"
            r = b.get("rating") if isinstance(b, Mapping) else None
            a = b.get("above") if isinstance(b, Mapping) else None
            if r not in ratings:
                bad(
                    "unknown_rating",
                    f"{place}.rating",
                    f"'{r}' is not a rating of this framework.",
                    r,
                    allowed_ratings,
                )
                continue
            if (i == 0) != (a is None) or (a is not None and not isinstance(a, (int, float))):
                bad(
                    "bad_band",
                    f"{place}.above",
                    "the first band has 'above: null'; every later band a number of points per standard.",
                    a,
                )
                continue
            bands.append(OverallBand(r, None if a is None else float(a)))
        named = [b.rating for b in bands]
        if len(bands) == len(raw_bands) and named != list(reversed(ratings)):
            bad(
                "bad_band",
                "overall.bands",
                f"the overall bands name {', '.join(named)}; they must name every rating once, worst first.",
                named,
                ", ".join(reversed(ratings)),
            )
        cuts = [b.above for b in bands[1:]]
        if cuts != sorted(cuts):
            bad(
                "bad_band",
                "overall.bands",
                "bands must run lowest first with rising cut points.",
                cuts,
            )

    samples_raw = doc.get("samples")
    samples: dict[str, str] = {}
    if not isinstance(samples_raw, Mapping) or not samples_raw:
        bad("missing_samples", "samples", "the case samples this framework uses are missing.")
    else:
        samples = {str(k): str(v) for k, v in samples_raw.items()}

    # domains, standards, key questions
    domains: list[Domain] = []
    seen: dict[str, str] = {}

    def check_id(value: str, place: str):
        if value and not _ID.match(value):
            bad(
                "bad_id",
                f"{place}.id",
                f"'{value}' is not an id of dotted numbers such as '2.1.3'.",
                value,
            )
        if value in seen:
            bad(
                "duplicate_id",
                f"{place}.id",
                f"'{value}' is used twice (first at {seen[value]}).",
                value,
            )
        elif value:
            seen[value] = place

    raw_domains = doc.get("domains")
    if not isinstance(raw_domains, list) or not raw_domains:
        bad("missing_domains", "domains", "the framework has no domains.")
        raw_domains = []
    for di, d in enumerate(raw_domains):
        dp = f"domains[{di}]"
        if not isinstance(d, Mapping):
            bad("not_a_mapping", dp, "a domain must be a mapping with id, name and standards.", d)
            continue
        did, dname = text(d, "id", dp), text(d, "name", dp)
        check_id(did, dp)
        standards: list[Standard] = []
        raw_standards = d.get("standards")
        if not isinstance(raw_standards, list) or not raw_standards:
            bad("missing_standards", f"{dp}.standards", "the domain has no standards.")
            raw_standards = []
        for si, s in enumerate(raw_standards):
            sp = f"{dp}.standards[{si}]"
            if not isinstance(s, Mapping):
                bad(
                    "not_a_mapping",
                    sp,
                    "a standard must be a mapping with id, name and key_questions.",
                    s,
                )
                continue
            sid, sname = text(s, "id", sp), text(s, "name", sp)
            check_id(sid, sp)
            if sid and did and not sid.startswith(did + "."):
                bad(
                    "id_prefix",
                    f"{sp}.id",
                    f"'{sid}' does not start with its domain's id '{did}.'.",
                    sid,
                )
            headline = text(s, "headline", sp)
            rated_from = s.get("rated_from", "cases")
            if rated_from not in RATED_FROM:
                bad(
                    "bad_rated_from",
                    f"{sp}.rated_from",
                    f"'{rated_from}' is not a way of rating a standard.",
                    rated_from,
                    ", ".join(RATED_FROM),
                )
                rated_from = "cases"
            counts = s.get("counts_in_overall", True)
            if not isinstance(counts, bool):
                bad("not_boolean", f"{sp}.counts_in_overall", "must be true or false.", counts)
                counts = True
            kqs: list[KeyQuestion] = []
            raw_kqs = s.get("key_questions")
            if not isinstance(raw_kqs, list) or not raw_kqs:
                bad(
                    "missing_key_questions",
                    f"{sp}.key_questions",
                    "the standard has no key questions.",
                )
                raw_kqs = []
            for qi, q in enumerate(raw_kqs):
                qp = f"{sp}.key_questions[{qi}]"
                if not isinstance(q, Mapping):
                    bad(
                        "not_a_mapping", qp, "a key question must be a mapping with id and text.", q
                    )
                    continue
                qid, qtext = text(q, "id", qp), text(q, "text", qp)
                check_id(qid, qp)
                if qid and sid and not qid.startswith(sid + "."):
                    bad(
                        "id_prefix",
                        f"{qp}.id",
                        f"'{qid}' does not start with its standard's id '{sid}.'.",
                        qid,
                    )
                sample = q.get("sample")
                if rated_from == "cases":
                    if sample is None:
                        bad(
                            "missing_text",
                            f"{qp}.sample",
                            "'sample' is missing: say which case sample answers this key question.",
                            None,
                            ", ".join(samples),
                        )
                    elif sample not in samples:
                        bad(
                            "unknown_sample",
                            f"{qp}.sample",
                            f"'{sample}' is not a sample of this framework.",
                            sample,
                            ", ".join(samples),
                        )
                elif sample is not None:
                    bad(
                        "judged_with_sample",
                        f"{qp}.sample",
                        "a judged standard's key questions are not answered on a case sample; remove 'sample'.",
                        sample,
                    )
                    sample = None
                sub = q.get("relevant_subsample")
                if sub is not None and (not isinstance(sub, str) or not sub.strip()):
                    bad(
                        "missing_text",
                        f"{qp}.relevant_subsample",
                        "describe the relevant sub-sample in words.",
                        sub,
                    )
                    sub = None
                prompts = q.get("prompts") or []
                if not isinstance(prompts, list) or not all(
                    isinstance(p, str) and p.strip() for p in prompts
                ):
                    bad("bad_prompts", f"{qp}.prompts", "prompts must be a list of texts.", prompts)
                    prompts = []
                kqs.append(
                    KeyQuestion(
                        qid,
                        qtext,
                        sid,
                        sample if isinstance(sample, str) else None,
                        sub,
                        tuple(prompts),
                    )
                )
            standards.append(Standard(sid, sname, did, headline, rated_from, tuple(kqs), counts))
        domains.append(Domain(did, dname, tuple(standards)))

    if problems:
        raise FrameworkError(problems)
    return Framework(
        id=fw_id,
        name=name,
        version=version,
        provider=provider,
        ratings=tuple(ratings),
        thresholds=tuple(thresholds),
        rounding=rounding,
        points=points,
        overall_bands=tuple(bands),
        samples=samples,
        domains=tuple(domains),
        source=source,
    )
