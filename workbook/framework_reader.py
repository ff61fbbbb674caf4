"""Reading a framework document: a short driver over one small reader per section.

A framework is a plain document (YAML on disk, parsed by :mod:`workbook.files`). This module
checks it section by section (the framework's fields, ratings, key-question bands, overall
points and bands, samples, then domains, standards and key questions) and builds the frozen
values of :mod:`workbook.framework`. Every reader records its problems with their place in the
document (``"domains[1].standards[0].id"``); the driver raises them all at once. Nothing here
reads files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import FrameworkError, Problem
from .framework import (
    _ID,
    RATED_FROM,
    RATINGS,
    ROUNDING_POLICIES,
    Domain,
    Framework,
    KeyQuestion,
    OverallBand,
    Standard,
    Threshold,
)
from .reasons import Reason

__all__ = ["framework_from_dict"]


def framework_from_dict(doc: Any, source: str | None = None) -> Framework:
    """Validate a parsed framework document and build a :class:`~workbook.framework.Framework`.

    Parameters
    ----------
    doc : Mapping
        The parsed document (from YAML), with id, name, version, ratings, key-question bands,
        overall points and bands, samples and domains.
    source : str, optional
        The file the document came from, named in every problem and kept on the framework.

    Returns
    -------
    Framework
        The framework the document describes.

    Raises
    ------
    FrameworkError
        With every problem found, each with its place in the document.
    """
    if not isinstance(doc, Mapping):
        raise FrameworkError(
            Problem(
                Reason.NOT_A_MAPPING,
                "the document is not a mapping of fields (id, name, domains, ...).",
                file=source,
            )
        )
    reader = _Reader(source)
    fw_id = reader.text(doc, "id", "framework")
    name = reader.text(doc, "name", "framework")
    version = reader.text(doc, "version", "framework")
    provider = reader.text(doc, "provider", "framework", required=False)
    ratings = reader.ratings(doc.get("ratings", list(RATINGS)))
    kq_bands = doc.get("key_question_bands") or {}
    rounding = reader.rounding(kq_bands)
    thresholds = reader.thresholds(kq_bands, ratings)
    overall = doc.get("overall") or {}
    points = reader.points(overall, ratings)
    bands = reader.bands(overall, ratings)
    samples = reader.samples(doc.get("samples"))
    domains = reader.domains(doc.get("domains"), samples)
    if reader.problems:
        raise FrameworkError(reader.problems)
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


def _section(obj: Any, key: str) -> Any:
    """``obj[key]`` when ``obj`` is a mapping, else None."""
    return obj.get(key) if isinstance(obj, Mapping) else None


class _Reader:
    """The section readers of one document, collecting problems in document order."""

    def __init__(self, source: str | None):
        self.source = source
        self.problems: list[Problem] = []
        self.seen_ids: dict[str, str] = {}  # id -> the place it was first used

    def bad(self, code: Reason, place: str, message: str, value=None, allowed=None) -> None:
        self.problems.append(
            Problem(code, message, file=self.source, place=place, value=value, allowed=allowed)
        )

    # -- values ------------------------------------------------------------------------------
    def text(self, obj: Mapping, key: str, place: str, required=True) -> str:
        value = _section(obj, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.bad(Reason.MISSING_TEXT, f"{place}.{key}", f"'{key}' is missing or empty.")
            return ""
        if not isinstance(value, (str, int, float)):
            self.bad(
                Reason.NOT_TEXT,
                f"{place}.{key}",
                f"'{key}' must be text, not {type(value).__name__}.",
                value,
            )
            return ""
        return str(value).strip()

    def check_id(self, value: str, place: str) -> None:
        if value and not _ID.match(value):
            self.bad(
                Reason.BAD_ID,
                f"{place}.id",
                f"'{value}' is not an id of dotted numbers such as '2.1.3'.",
                value,
            )
        if value in self.seen_ids:
            self.bad(
                Reason.DUPLICATE_ID,
                f"{place}.id",
                f"'{value}' is used twice (first at {self.seen_ids[value]}).",
                value,
            )
        elif value:
            self.seen_ids[value] = place

    def check_prefix(self, child: str, parent: str, place: str, what: str) -> None:
        if child and parent and not child.startswith(parent + "."):
            self.bad(
                Reason.ID_PREFIX,
                f"{place}.id",
                f"'{child}' does not start with its {what}'s id '{parent}.'.",
                child,
            )

    def rating(self, value: Any, place: str, ratings: list[str]) -> bool:
        """Whether ``value`` is one of the ratings; a problem at ``place`` when it is not."""
        if value in ratings:
            return True
        self.bad(
            Reason.UNKNOWN_RATING,
            place,
            f"'{value}' is not a rating.",
            value,
            ", ".join(ratings),
        )
        return False

    # -- ratings and key-question bands ------------------------------------------------------
    def ratings(self, ratings: Any) -> list[str]:
        if (
            not isinstance(ratings, list)
            or len(ratings) < 2
            or not all(isinstance(r, str) for r in ratings)
        ):
            self.bad(
                Reason.BAD_RATINGS,
                "ratings",
                "ratings must be a list of at least two names, best first.",
                ratings,
            )
            ratings = list(RATINGS)
        if len(set(ratings)) != len(ratings):
            self.bad(Reason.DUPLICATE_ID, "ratings", "a rating name appears twice.", ratings)
        return ratings

    def rounding(self, kq_bands: Any) -> str:
        rounding = (
            kq_bands.get("rounding", "half_up") if isinstance(kq_bands, Mapping) else "half_up"
        )
        if rounding in ROUNDING_POLICIES:
            return rounding
        self.bad(
            Reason.BAD_ROUNDING,
            "key_question_bands.rounding",
            f"'{rounding}' is not a rounding policy.",
            rounding,
            ", ".join(ROUNDING_POLICIES),
        )
        return "half_up"

    def thresholds(self, kq_bands: Any, ratings: list[str]) -> list[Threshold]:
        raw = _section(kq_bands, "thresholds")
        if not isinstance(raw, list) or not raw:
            self.bad(
                Reason.MISSING_THRESHOLDS,
                "key_question_bands.thresholds",
                "the band thresholds are missing.",
            )
            return []
        thresholds = [t for i, item in enumerate(raw) if (t := self.threshold(i, item, ratings))]
        named = [t.rating for t in thresholds]
        if len(thresholds) == len(raw) and named != list(ratings):
            self.bad(
                Reason.BAD_THRESHOLD,
                "key_question_bands.thresholds",
                f"the thresholds name {', '.join(named)}; they must name every rating once, in the order of 'ratings' (best first).",
                named,
                ", ".join(ratings),
            )
        mins = [t.min_pct for t in thresholds]
        if mins != sorted(mins, reverse=True) or (thresholds and thresholds[-1].min_pct != 0):
            self.bad(
                Reason.BAD_THRESHOLD,
                "key_question_bands.thresholds",
                "thresholds must run best first, each lower than the one before, ending at 0.",
                mins,
            )
        return thresholds

    def threshold(self, i: int, item: Any, ratings: list[str]) -> Threshold | None:
        place = f"key_question_bands.thresholds[{i}]"
        rating, min_pct = _section(item, "rating"), _section(item, "min_pct")
        if not self.rating(rating, f"{place}.rating", ratings):
            return None
        if not isinstance(min_pct, (int, float)) or not 0 <= min_pct <= 100:
            self.bad(
                Reason.BAD_THRESHOLD,
                f"{place}.min_pct",
                f"'{min_pct}' is not a percentage from 0 to 100.",
                min_pct,
            )
            return None
        return Threshold(rating, float(min_pct))

    # -- overall points and bands ------------------------------------------------------------
    def points(self, overall: Any, ratings: list[str]) -> dict[str, int]:
        raw = _section(overall, "points")
        if not isinstance(raw, Mapping):
            self.bad(Reason.MISSING_POINTS, "overall.points", "points per rating are missing.")
            return {}
        points: dict[str, int] = {}
        for rating in ratings:
            value = raw.get(rating)
            if isinstance(value, int):
                points[rating] = value
            else:
                self.bad(
                    Reason.BAD_POINTS,
                    f"overall.points.{rating}",
                    f"the points for '{rating}' must be a whole number.",
                    value,
                )
        for rating in raw:
            if rating not in ratings:
                self.rating(rating, f"overall.points.{rating}", ratings)
        return points

    def bands(self, overall: Any, ratings: list[str]) -> list[OverallBand]:
        raw = _section(overall, "bands")
        if not isinstance(raw, list) or not raw:
            self.bad(Reason.MISSING_BANDS, "overall.bands", "the overall bands are missing.")
            return []
        bands = [b for i, item in enumerate(raw) if (b := self.band(i, item, ratings))]
        named = [b.rating for b in bands]
        if len(bands) == len(raw) and named != list(reversed(ratings)):
            self.bad(
                Reason.BAD_BAND,
                "overall.bands",
                f"the overall bands name {', '.join(named)}; they must name every rating once, worst first.",
                named,
                ", ".join(reversed(ratings)),
            )
        cuts = [b.above for b in bands[1:]]
        if cuts != sorted(cuts):
            self.bad(
                Reason.BAD_BAND,
                "overall.bands",
                "bands must run lowest first with rising cut points.",
                cuts,
            )
        return bands

    def band(self, i: int, item: Any, ratings: list[str]) -> OverallBand | None:
        place = f"overall.bands[{i}]"
        rating, above = _section(item, "rating"), _section(item, "above")
        if not self.rating(rating, f"{place}.rating", ratings):
            return None
        if (i == 0) != (above is None) or (
            above is not None and not isinstance(above, (int, float))
        ):
            self.bad(
                Reason.BAD_BAND,
                f"{place}.above",
                "the first band has 'above: null'; every later band a number of points per standard.",
                above,
            )
            return None
        return OverallBand(rating, None if above is None else float(above))

    # -- samples -----------------------------------------------------------------------------
    def samples(self, raw: Any) -> dict[str, str]:
        if not isinstance(raw, Mapping) or not raw:
            self.bad(
                Reason.MISSING_SAMPLES,
                "samples",
                "the case samples this framework uses are missing.",
            )
            return {}
        return {str(k): str(v) for k, v in raw.items()}

    # -- domains, standards, key questions ---------------------------------------------------
    def items(self, raw: Any, code: Reason, place: str, message: str) -> list:
        """The list at ``place``; a problem and no items when it is missing or empty."""
        if not isinstance(raw, list) or not raw:
            self.bad(code, place, message)
            return []
        return raw

    def mapping(self, obj: Any, place: str, message: str) -> bool:
        if isinstance(obj, Mapping):
            return True
        self.bad(Reason.NOT_A_MAPPING, place, message, obj)
        return False

    def domains(self, raw: Any, samples: dict[str, str]) -> list[Domain]:
        raw = self.items(raw, Reason.MISSING_DOMAINS, "domains", "the framework has no domains.")
        domains = []
        for di, d in enumerate(raw):
            place = f"domains[{di}]"
            if self.mapping(d, place, "a domain must be a mapping with id, name and standards."):
                domains.append(self.domain(d, place, samples))
        return domains

    def domain(self, d: Mapping, place: str, samples: dict[str, str]) -> Domain:
        did, dname = self.text(d, "id", place), self.text(d, "name", place)
        self.check_id(did, place)
        raw = self.items(
            d.get("standards"),
            Reason.MISSING_STANDARDS,
            f"{place}.standards",
            "the domain has no standards.",
        )
        standards = []
        for si, s in enumerate(raw):
            sp = f"{place}.standards[{si}]"
            if self.mapping(s, sp, "a standard must be a mapping with id, name and key_questions."):
                standards.append(self.standard(s, sp, did, samples))
        return Domain(did, dname, tuple(standards))

    def standard(self, s: Mapping, place: str, did: str, samples: dict[str, str]) -> Standard:
        sid, sname = self.text(s, "id", place), self.text(s, "name", place)
        self.check_id(sid, place)
        self.check_prefix(sid, did, place, "domain")
        headline = self.text(s, "headline", place)
        rated_from = s.get("rated_from", "cases")
        if rated_from not in RATED_FROM:
            self.bad(
                Reason.BAD_RATED_FROM,
                f"{place}.rated_from",
                f"'{rated_from}' is not a way of rating a standard.",
                rated_from,
                ", ".join(RATED_FROM),
            )
            rated_from = "cases"
        counts = s.get("counts_in_overall", True)
        if not isinstance(counts, bool):
            self.bad(
                Reason.NOT_BOOLEAN, f"{place}.counts_in_overall", "must be true or false.", counts
            )
            counts = True
        raw = self.items(
            s.get("key_questions"),
            Reason.MISSING_KEY_QUESTIONS,
            f"{place}.key_questions",
            "the standard has no key questions.",
        )
        kqs = []
        for qi, q in enumerate(raw):
            qp = f"{place}.key_questions[{qi}]"
            if self.mapping(q, qp, "a key question must be a mapping with id and text."):
                kqs.append(self.key_question(q, qp, sid, rated_from, samples))
        return Standard(sid, sname, did, headline, rated_from, tuple(kqs), counts)

    def key_question(
        self, q: Mapping, place: str, sid: str, rated_from: str, samples: dict[str, str]
    ) -> KeyQuestion:
        qid, qtext = self.text(q, "id", place), self.text(q, "text", place)
        self.check_id(qid, place)
        self.check_prefix(qid, sid, place, "standard")
        sample = self.kq_sample(q.get("sample"), place, rated_from, samples)
        sub = q.get("relevant_subsample")
        if sub is not None and (not isinstance(sub, str) or not sub.strip()):
            self.bad(
                Reason.MISSING_TEXT,
                f"{place}.relevant_subsample",
                "describe the relevant sub-sample in words.",
                sub,
            )
            sub = None
        prompts = q.get("prompts") or []
        if not isinstance(prompts, list) or not all(
            isinstance(p, str) and p.strip() for p in prompts
        ):
            self.bad(
                Reason.BAD_PROMPTS, f"{place}.prompts", "prompts must be a list of texts.", prompts
            )
            prompts = []
        return KeyQuestion(
            qid, qtext, sid, sample if isinstance(sample, str) else None, sub, tuple(prompts)
        )

    def kq_sample(self, sample: Any, place: str, rated_from: str, samples: dict[str, str]) -> Any:
        """The key question's sample: required and known on a case-rated standard, absent on a
        judged one."""
        if rated_from != "cases":
            if sample is not None:
                self.bad(
                    Reason.JUDGED_WITH_SAMPLE,
                    f"{place}.sample",
                    "a judged standard's key questions are not answered on a case sample; remove 'sample'.",
                    sample,
                )
            return None
        if sample is None:
            self.bad(
                Reason.MISSING_TEXT,
                f"{place}.sample",
                "'sample' is missing: say which case sample answers this key question.",
                None,
                ", ".join(samples),
            )
        elif sample not in samples:
            self.bad(
                Reason.UNKNOWN_SAMPLE,
                f"{place}.sample",
                f"'{sample}' is not a sample of this framework.",
                sample,
                ", ".join(samples),
            )
        return sample
