"""Reading and rating an inspection from the store: :func:`load_rated`, the one way to do it.

The command line (``rate --inspection``), the dashboard and the ratings board all read an
inspection through it, so they rate with the same framework, the same judgements and the same
decisions. The framework is the one the inspection is pinned to: if the version installed
under its id differs from the version the inspection was created with, reading it is refused
(as saving a judgement is) rather than rated with another version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import InputError
from ..framework import Framework
from ..judgements import Decision, check_breakdown
from ..ratings import Ratings, rate
from .decisions import check_stored as check_stored_decisions
from .values import Inspection

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .facade import Store


@dataclass(frozen=True)
class RatedInspection:
    """An inspection as read from the store, and its ratings.

    Attributes
    ----------
    inspection
        The inspection (provider, framework pin, fieldwork, LDUs).
    framework
        The framework it is pinned to, checked against the version it was created with.
    cases
        case_id and the cases' attributes, in import order.
    judgements
        The answered judgements (cleared ones left out).
    decisions
        The standing decisions (withdrawn ones left out).
    ratings
        The ratings of every key question, standard and overall (with ``by`` breakdowns).
    """

    inspection: Inspection
    framework: Framework
    cases: pd.DataFrame
    judgements: pd.DataFrame
    decisions: list[Decision]
    ratings: Ratings


def load_rated(
    store: Store, name: str, *, by: Sequence[str] = (), rounding: str | None = None
) -> RatedInspection:
    """Read an inspection from ``store`` and rate it with the framework it is pinned to.

    Parameters
    ----------
    store
        An open store (read-only is enough).
    name
        The inspection's name.
    by
        Case attributes to break the ratings down by, such as ``("ldu",)``.
    rounding
        A rounding policy overriding the framework's (see ``workbook.framework``).

    Returns
    -------
    RatedInspection
        The inspection, its framework, cases, answered judgements, decisions and ratings.

    Raises
    ------
    StoreError
        ``unknown_inspection``; ``framework_version`` when the framework installed under the
        inspection's framework id is not the version it was created with;
        ``bad_stored_value`` for an answer or a decision the framework does not know.
    InputError
        ``unknown_attribute``: an attribute of ``by`` the cases do not have.
    """
    by = tuple(by)
    inspection = store.inspection(name)
    framework = store.framework(name)
    cases = store.cases(name)
    problems = check_breakdown(cases.columns, by)
    if problems:
        raise InputError(problems)
    judgements = store.judgements(name)
    judgements = judgements[judgements["answer"].notna()]
    stored = store.stored_decisions(name).values()
    check_stored_decisions(framework, name, [(d.standard, d.rating) for d in stored])
    decisions = [d.as_decision() for d in stored if d.rating is not None]
    ratings = rate(framework, judgements, decisions, cases=cases, by=by, rounding=rounding)
    return RatedInspection(inspection, framework, cases, judgements, decisions, ratings)
