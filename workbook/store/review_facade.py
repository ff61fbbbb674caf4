"""The review's part of the :class:`~workbook.store.Store` facade: the quality lead's dip
sample, blind second ratings, the figures of agreement and the lead inspector's adjudication.
:class:`ReviewStore` is a mixin of ``Store``.

With a team (see :mod:`workbook.store.team`) the lead inspector gives second raters and
adjudicates, a quality lead or the lead inspector draws the dip sample, and only a case's
second rater saves its second rating; without a team anyone may do each of these (as anyone
may answer), except that a second rating is still saved only by the case's second rater.
The work is in :mod:`.second` and :mod:`.review`.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..reasons import Reason
from . import judgements as judgements_
from . import review, second
from .team import LEADING, REVIEWING, require_role
from .values import CaseWork, SaveResult, StoredJudgement, blank_to_none


def _reason_required(action: str) -> StoreError:
    return StoreError(
        Problem(
            Reason.REASON_REQUIRED,
            f"{action} needs a reason, kept in the history: why this answer is the final one.",
            column="reason",
        )
    )


def _no_final(case_id: str, question: str) -> StoreError:
    return StoreError(
        Problem(
            Reason.UNKNOWN_ANSWER,
            f"adjudicating case {case_id}, {question} needs the final answer (yes, no or not "
            "applicable); an adjudication cannot clear the answer.",
            column="answer",
            allowed="yes, no, not applicable (where the key question allows it)",
        )
    )


class ReviewStore:
    """The review's methods of :class:`~workbook.store.Store`."""

    # -- second raters and second ratings -----------------------------------------------------

    def set_second_rater(self, name: str, case_id: str, person: str | None, by: str) -> CaseWork:
        """Give a case its second rater, or take it off (``person`` None).

        The second rater is a member who answers cases (inspector, local assessor, lead
        inspector) or a quality lead, and never the person the case is allocated to. The
        change is recorded in the history (entity ``second_rater``, old and new person).

        Parameters
        ----------
        name
            The inspection's name.
        case_id
            The case.
        person
            The second rater, or None to take the case's second rater off.
        by
            Who gives it: the lead inspector when the inspection has a team.

        Returns
        -------
        CaseWork
            The case's place in the team's work after the change.

        Raises
        ------
        StoreError
            ``unknown_inspection``, ``unknown_case``, ``no_inspector`` (``by`` empty),
            ``not_a_member`` (``by`` or ``person``), ``role_not_allowed`` (``by`` not a lead
            inspector, ``person`` a viewer), ``second_rater_is_first``, ``read_only``.
        """
        case_id = str(case_id).strip()
        by = judgements_.check_inspector(by)
        person = blank_to_none(person)
        self._tx.refuse_if_read_only()
        row = self._inspection(name)

        def work(conn: Connection) -> None:
            require_role(conn, row.id, name, by, LEADING, "give a case its second rater")
            second.set_second_rater_in(conn, row.id, name, case_id, person, by)

        self._tx.write(work)
        return self.case_status(name, case_id)

    def save_second_judgement(
        self,
        name: str,
        case_id: str,
        question: str,
        answer: str | None,
        inspector: str,
        note: str | None = None,
        expect_version: int | None = None,
    ) -> SaveResult:
        """Save one second (blind) answer of the case's second rater (None clears it).

        The answer is checked as a first answer is; versions and conflicts are those of
        :meth:`save_judgement`. A second answer never enters the ratings
        (:meth:`judgements` does not change); it is recorded in the history (entity
        ``second``).

        Raises
        ------
        StoreError
            ``unknown_inspection``, ``unknown_case``, ``unknown_key_question``,
            ``unknown_answer``, ``answer_not_allowed``, ``no_inspector``,
            ``not_second_rater``, ``not_a_member``, ``case_locked``,
            ``second_rater_is_first`` (the case was allocated to its second rater since),
            ``read_only``.
        ConflictError
            Someone saved this second answer since ``expect_version``; nothing was saved.
        """
        case_id, question = str(case_id).strip(), str(question).strip()
        inspector = judgements_.check_inspector(inspector)
        self._tx.refuse_if_read_only()
        row = self._inspection(name)
        answer = judgements_.check_one(self._framework_of(row), name, question, answer)
        save = second.SecondSave(
            row.id, name, case_id, question, answer, blank_to_none(note), inspector, expect_version
        )

        def work(conn: Connection) -> SaveResult:
            second.check_second_rater(conn, row.id, name, case_id, inspector)
            return second.save_second_in(conn, save)

        return self._tx.write(work)

    def second_judgements(
        self, name: str, case_id: str | None = None, person: str | None = None
    ) -> dict[tuple[str, str], StoredJudgement]:
        """Return second answers by (case_id, question), cleared ones included (answer None).

        Parameters
        ----------
        name
            The inspection's name.
        case_id
            Only this case's, or every case's (None).
        person
            Whose view: a person sees only their own second answers, unless they are a lead
            inspector or a quality lead of the team (then every one). None: every one.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        row = self._inspection(name)
        case_id = None if case_id is None else str(case_id).strip()
        with self._tx.read() as conn:
            if person is not None and second.sees_every_second(conn, row.id, person):
                person = None
            return second.second_judgements(conn, row.id, case_id, person)

    # -- adjudication -------------------------------------------------------------------------

    def rating_pairs(self, name: str) -> pd.DataFrame:
        """Return one row per second rating: the first and the second rater and answers.

        Columns case_id, question, first_rater, first, second_rater, second. ``first`` is the
        original first answer (the adjudication's where the pair was adjudicated); None where
        the case has no first answer to the question.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        row = self._inspection(name)
        with self._tx.read() as conn:
            return second.rating_pairs(conn, row.id)

    def adjudicate(
        self, name: str, case_id: str, question: str, answer: str, reason: str, by: str
    ) -> SaveResult:
        """Pick the final answer where the first and the second rating differ.

        The final is saved to the judgements as a first answer is (so it enters the ratings;
        the case's allocation is not asked, and the save is recorded as ``by``'s); the
        adjudication keeps both originals and the reason (:meth:`adjudications`, history
        entity ``adjudication``). An adjudicated pair may be adjudicated again.

        Returns
        -------
        SaveResult
            The judgement saved (``changed`` False when the final is the first answer).

        Raises
        ------
        StoreError
            ``unknown_inspection``, ``unknown_case``, ``unknown_key_question``,
            ``unknown_answer``, ``answer_not_allowed``, ``no_inspector``,
            ``reason_required``, ``not_a_member``, ``role_not_allowed`` (not a lead
            inspector), ``case_locked``, ``nothing_to_adjudicate`` (the two agree, or one is
            missing), ``read_only``.
        """
        case_id, question = str(case_id).strip(), str(question).strip()
        by = judgements_.check_inspector(by)
        reason = blank_to_none(reason)
        self._tx.refuse_if_read_only()
        row = self._inspection(name)
        final = judgements_.check_one(self._framework_of(row), name, question, answer)
        if final is None:
            raise _no_final(case_id, question)
        if reason is None:
            raise _reason_required(f"adjudicating case {case_id}, {question}")
        adj = second.Adjudication(row.id, name, case_id, question, final, reason, by)

        def work(conn: Connection) -> SaveResult:
            require_role(conn, row.id, name, by, LEADING, "adjudicate second ratings")
            return second.adjudicate_in(conn, self._sql, adj)

        return self._tx.write(work)

    def adjudications(self, name: str) -> pd.DataFrame:
        """Return every adjudication, in the order first made.

        Columns case_id, question, first_rater, first, second_rater, second, final, reason,
        by, at (UTC).

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        row = self._inspection(name)
        with self._tx.read() as conn:
            return second.adjudications(conn, row.id)

    # -- the dip sample and the queries' counts -----------------------------------------------

    def draw_dip_sample(
        self, name: str, by: str, seed: int, size: int = 10, per_inspector: int = 2
    ) -> list[str]:
        """Draw a dip sample of complete cases for quality assurance.

        From the cases signed off as complete (not quality assured yet) and not drawn before:
        at least ``per_inspector`` of each inspector's (the case's allocated person) where
        they have that many, the rest spread across LDUs, ``size`` cases in all (more when
        the minimum per inspector asks for more; fewer when there are fewer). The same seed
        on the same cases draws the same sample. Each case drawn is marked and recorded in
        the history (entity ``dip_sample``, with the seed).

        Returns
        -------
        list of str
            The case ids drawn, in case order (empty when no case is waiting).

        Raises
        ------
        StoreError
            ``unknown_inspection``, ``bad_seed``, ``bad_n`` (size, per_inspector),
            ``no_inspector``, ``not_a_member``, ``role_not_allowed`` (not a quality lead or
            lead inspector), ``read_only``.
        """
        by = judgements_.check_inspector(by)
        review.check_draw(seed, size, per_inspector)
        self._tx.refuse_if_read_only()
        row = self._inspection(name)

        def work(conn: Connection) -> list[str]:
            require_role(conn, row.id, name, by, REVIEWING, "draw a dip sample")
            return review.draw_in(conn, row.id, by, seed, size, per_inspector)

        return self._tx.write(work)

    def dip_sample(self, name: str) -> list[str]:
        """Return the cases of the dip sample (every draw), in case order.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        row = self._inspection(name)
        with self._tx.read() as conn:
            return review.dip_sample(conn, row.id)

    def query_counts(self, name: str) -> pd.DataFrame:
        """Return the open, answered and resolved queries per inspector and standard.

        Columns inspector (the case's allocated person, ``(not allocated)`` for none),
        standard (the key question's standard; ``(case)`` for a query on the whole case),
        open, answered, resolved; one row per inspector and standard with any query.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        row = self._inspection(name)
        with self._tx.read() as conn:
            return review.query_counts(conn, row.id, self._framework_of(row))
