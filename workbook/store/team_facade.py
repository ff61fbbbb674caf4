"""The team's part of the :class:`~workbook.store.Store` facade: members, allocation, case
status and sign-off, the "probe further" flag and quality-assurance queries (see
:mod:`workbook.store.team`, :mod:`workbook.store.status`, :mod:`workbook.store.queries`).
:class:`TeamStore` is a mixin of ``Store``: each method is one short transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..judgements import unknown_case
from . import judgements as judgements_
from . import queries as queries_
from . import status, team
from .transactions import driver_cursor
from .values import Access, CaseWork, Member, Query, SaveResult, now

# -- the team's rules on the saves of answers (called by Store.save_judgement[s]) -------------


def save_by_the_rules(
    conn: Connection, dialect: str, sql: judgements_.Dialect, save: judgements_.Save
) -> SaveResult:
    """Save one answer in the open write transaction ``conn`` if the team's rules allow it.

    One query reads the rules (team, role, allocation, status, open queries), whether the case
    exists and the stored answer (locked on PostgreSQL, and not read again by the save); a
    refusal is raised before anything is written, and a changed answer on a signed-off case without a
    reason is refused after the write, so the transaction is rolled back and nothing is saved.
    A changed answer answers the open queries on its key question.

    Raises
    ------
    StoreError
        ``not_a_member``, ``role_not_allowed``, ``not_allocated``, ``case_locked``,
        ``reason_required``; and every error of :func:`workbook.store.judgements.save_one`.
    """
    cur = driver_cursor(conn)
    rules = team.answer_rules(
        cur, dialect, save.inspection_id, save.case_id, save.question, save.inspector
    )
    cur.close()
    if not rules.case_exists:
        raise StoreError(unknown_case(save.case_id, save.name))
    problem = team.answer_problem(
        conn, save.inspection_id, save.name, save.case_id, save.inspector, rules
    )
    if problem is not None:
        raise StoreError(problem)
    stored = judgements_.stored_of(save, rules.stored)
    result = judgements_.save_one(conn, sql, save, stored)
    if result.changed:
        _after_change(conn, save.inspection_id, rules, result, save.reason)
    return result


def _after_change(conn, iid: int, rules: team.AnswerRules, result: SaveResult, reason) -> None:
    j = result.judgement
    if reason is None:
        problem = team.reason_problem(j.case_id, j.question, rules.status)
        if problem is not None:
            raise StoreError(problem)
    if rules.open_queries:
        old = None if result.previous is None else result.previous.answer
        queries_.answered_by_change(
            conn, iid, j.case_id, j.question, old, j.answer, reason, j.inspector, j.saved_at
        )


def save_batch_by_the_rules(
    conn: Connection,
    sql: judgements_.Dialect,
    iid: int,
    name: str,
    rows: list,
    reason: str | None = None,
) -> list[SaveResult]:
    """Save checked rows (see :func:`workbook.store.judgements.save_batch`) if the team's
    rules allow every one; every refusal is raised at once and nothing is saved.

    Raises
    ------
    StoreError
        As :func:`save_by_the_rules`, one problem per case and person.
    """
    batch = team.batch_rules(conn, iid)
    problems: dict[tuple, Problem] = {}
    for case_id, question, _answer, who, _note in rows:
        rules = team.rules_of_row(batch, case_id, question, who)
        problem = team.answer_problem(conn, iid, name, case_id, who, rules)
        if problem is not None:
            problems.setdefault((case_id, who), problem)
    if problems:
        raise StoreError(list(problems.values()))
    results = judgements_.save_batch(conn, sql, iid, name, rows, reason)
    for result in results:
        if result.changed:
            j = result.judgement
            rules = team.rules_of_row(batch, j.case_id, j.question, j.inspector)
            try:
                _after_change(conn, iid, rules, result, reason)
            except StoreError as exc:
                problems.setdefault((j.case_id, j.inspector), exc.problems[0])
    if problems:
        raise StoreError(list(problems.values()))
    return results


class TeamStore:
    """The team's methods of :class:`~workbook.store.Store`."""

    # -- members -----------------------------------------------------------------------------

    def team(self, name: str) -> list[Member]:
        """Return the inspection's team, in the order the members were added.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        iid = self._inspection(name).id
        with self._tx.read() as conn:
            return team.members(conn, iid)

    def add_member(self, name: str, person: str, role: str, by: str) -> Member:
        """Add ``person`` to the team with ``role`` (recorded in the history, entity member).

        The first member must be the lead inspector; after that only a lead inspector adds
        members.

        Raises
        ------
        StoreError
            ``unknown_role``, ``no_inspector`` (an empty name), ``first_member_lead``,
            ``not_a_member`` or ``role_not_allowed`` (``by`` is not a lead inspector),
            ``member_exists``, ``read_only``.
        """
        person, by = team.check_person(person), team.check_person(by, "by")
        role = team.parse_role(role)
        return self._team_write(
            name, lambda c, i, at: team.add_member_in(c, i, name, person, role, by, at)
        )

    def change_role(self, name: str, person: str, role: str, by: str) -> Member:
        """Give a member another role (a lead inspector only).

        Raises
        ------
        StoreError
            ``unknown_role``, ``not_a_member``, ``role_not_allowed``, ``last_lead`` (the only
            lead inspector cannot be made anything else), ``read_only``.
        """
        person, by = team.check_person(person), team.check_person(by, "by")
        role = team.parse_role(role)
        return self._team_write(
            name, lambda c, i, at: team.change_role_in(c, i, name, person, role, by, at)
        )

    def remove_member(self, name: str, person: str, by: str) -> None:
        """Remove a member from the team (a lead inspector only).

        Raises
        ------
        StoreError
            ``not_a_member``, ``role_not_allowed``, ``last_lead``, ``read_only``.
        """
        person, by = team.check_person(person), team.check_person(by, "by")
        self._team_write(name, lambda c, i, at: team.remove_member_in(c, i, name, person, by, at))

    def access(self, name: str, person: str) -> Access:
        """Return what ``person`` may do with the inspection, and why not.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        iid = self._inspection(name).id
        with self._tx.read() as conn:
            return team.access(conn, iid, name, str(person or "").strip())

    def _team_write(self, name: str, work):
        """Run ``work(conn, inspection id, time)`` in one write transaction."""
        self._tx.refuse_if_read_only()
        iid = self._inspection(name).id
        at = now()
        return self._tx.write(lambda conn: work(conn, iid, at))

    def _case_write(self, name: str, case_id: str, work) -> CaseWork:
        """Run ``work(conn, id, framework, case id, time)``; return the case's work after it."""
        self._tx.refuse_if_read_only()
        row = self._inspection(name)
        framework = self._framework_of(row)
        case_id = str(case_id).strip()
        at = now()

        def run(conn: Connection) -> CaseWork:
            work(conn, row.id, framework, case_id, at)
            return status.one_case(conn, row.id, name, framework, case_id)

        return self._tx.write(run)

    # -- allocation --------------------------------------------------------------------------

    def allocate(self, name: str, case_id: str, person: str | None, by: str) -> CaseWork:
        """Allocate a case to a member (None: take the allocation back); a lead inspector
        only. A reallocation is recorded in the history with the old and the new person.

        Raises
        ------
        StoreError
            ``unknown_case``, ``not_a_member`` (``by`` or ``person``), ``role_not_allowed``
            (``by`` is not a lead inspector, or ``person``'s role answers no cases),
            ``read_only``.
        """
        by = team.check_person(by, "by")
        person = None if person is None else team.check_person(person)
        return self._case_write(
            name,
            case_id,
            lambda c, i, _f, cid, at: status.allocate_in(c, i, name, cid, person, by, at),
        )

    def allocate_evenly(
        self, name: str, by: str, seed: int, people: Iterable[str] | None = None
    ) -> dict[str, list[str]]:
        """Allocate every case no member of the team answers (not allocated yet, or allocated
        to someone outside the team, as a case list's ``inspector`` column may), spread evenly
        within each (sample, LDU).

        Parameters
        ----------
        name
            The inspection.
        by
            Who allocates (a lead inspector, when the inspection has a team).
        seed
            The seed of the shuffle: the same seed, cases and people give the same allocation.
        people
            Who to allocate to; default: the team's inspectors and local assessors.

        Returns
        -------
        dict
            Each person's newly allocated case ids.

        Raises
        ------
        StoreError
            ``not_a_member``, ``role_not_allowed``, ``empty_value`` (nobody to allocate to),
            ``read_only``.
        """
        by = team.check_person(by, "by")
        people = None if people is None else list(people)
        return self._team_write(
            name,
            lambda c, i, at: status.allocate_evenly_in(c, i, name, by, int(seed), people, at),
        )

    # -- status ------------------------------------------------------------------------------

    def case_work(self, name: str) -> dict[str, CaseWork]:
        """Return every case's work by case id, in import order (status derived from answers).

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        row = self._inspection(name)
        with self._tx.read() as conn:
            return status.read_case_work(conn, row.id, self._framework_of(row))

    def case_status(self, name: str, case_id: str) -> CaseWork:
        """Return one case's work.

        Raises
        ------
        StoreError
            ``unknown_inspection``, ``unknown_case``.
        """
        row = self._inspection(name)
        with self._tx.read() as conn:
            return status.one_case(
                conn, row.id, name, self._framework_of(row), str(case_id).strip()
            )

    def locked_cases(self, name: str) -> list[str]:
        """Return the ids of the locked cases, in import order.

        Raises
        ------
        StoreError
            ``unknown_inspection``.
        """
        iid = self._inspection(name).id
        with self._tx.read() as conn:
            return status.locked(conn, iid)

    def sign_off(self, name: str, case_id: str, by: str) -> CaseWork:
        """Sign a case off as complete (its allocated person, or a lead inspector).

        Raises
        ------
        StoreError
            ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``not_allocated``,
            ``bad_status_change``, ``case_not_complete`` (naming what is not answered),
            ``read_only``.
        """
        by = team.check_person(by, "by")
        return self._case_write(
            name, case_id, lambda c, i, f, cid, at: status.sign_off_in(c, i, name, f, cid, by, at)
        )

    def quality_assure(self, name: str, case_id: str, by: str) -> CaseWork:
        """Mark a complete case with no open query quality assured (a quality lead or lead).

        Raises
        ------
        StoreError
            ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``bad_status_change``,
            ``read_only``.
        """
        by = team.check_person(by, "by")
        return self._case_write(
            name,
            case_id,
            lambda c, i, f, cid, at: status.quality_assure_in(c, i, name, f, cid, by, at),
        )

    def lock(self, name: str, case_id: str, by: str, reason: str | None = None) -> CaseWork:
        """Lock a complete or quality-assured case for rating (a lead inspector).

        Raises
        ------
        StoreError
            ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``bad_status_change``,
            ``read_only``.
        """
        by = team.check_person(by, "by")
        return self._case_write(
            name,
            case_id,
            lambda c, i, f, cid, at: status.lock_in(c, i, name, f, cid, by, at, reason),
        )

    def reopen(self, name: str, case_id: str, by: str, reason: str) -> CaseWork:
        """Reopen a locked case, with a reason (a lead inspector): back to its status before
        the lock.

        Raises
        ------
        StoreError
            ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``reason_required``,
            ``bad_status_change``, ``read_only``.
        """
        by = team.check_person(by, "by")
        return self._case_write(
            name,
            case_id,
            lambda c, i, f, cid, at: status.reopen_in(c, i, name, f, cid, by, reason, at),
        )

    def flag_probe(
        self, name: str, case_id: str, by: str, note: str | None, on: bool = True
    ) -> CaseWork:
        """Flag a case "probe further" with a note, or take the flag down (``on`` False).

        Raises
        ------
        StoreError
            ``unknown_case``, ``not_a_member``, ``role_not_allowed``, ``not_allocated`` (the
            allocated person, a quality lead or a lead inspector only), ``read_only``.
        """
        by = team.check_person(by, "by")
        return self._case_write(
            name,
            case_id,
            lambda c, i, f, cid, at: status.flag_probe_in(c, i, name, f, cid, by, note, on, at),
        )

    # -- quality-assurance queries -----------------------------------------------------------

    def open_query(
        self, name: str, case_id: str, by: str, text: str, question: str | None = None
    ) -> Query:
        """Open a query on a case, or on one of its key questions (a quality lead or lead).

        Raises
        ------
        StoreError
            ``not_a_member``, ``role_not_allowed``, ``unknown_case``,
            ``unknown_key_question``, ``missing_text``, ``read_only``.
        """
        by = team.check_person(by, "by")
        text = queries_.check_text(text, "query")
        question = None if question is None else str(question).strip() or None
        row = self._inspection(name)
        framework = self._framework_of(row)
        case_id = str(case_id).strip()
        return self._team_write(
            name,
            lambda c, i, at: queries_.open_in(
                c, i, name, framework, case_id, by, text, question, at
            ),
        )

    def reply_query(self, name: str, query_id: int, by: str, text: str) -> Query:
        """Reply to an open query (the case's allocated person or a lead): it is answered.

        Raises
        ------
        StoreError
            ``unknown_query``, ``not_a_member``, ``role_not_allowed``, ``not_allocated``,
            ``query_state``, ``missing_text``, ``read_only``.
        """
        by = team.check_person(by, "by")
        text = queries_.check_text(text, "reply")
        return self._team_write(
            name, lambda c, i, at: queries_.reply_in(c, i, name, query_id, by, text, at)
        )

    def resolve_query(self, name: str, query_id: int, by: str, resolution: str = "") -> Query:
        """Resolve an open or answered query (a quality lead or lead inspector).

        Raises
        ------
        StoreError
            ``unknown_query``, ``not_a_member``, ``role_not_allowed``, ``query_state``,
            ``read_only``.
        """
        by = team.check_person(by, "by")
        resolution = str(resolution or "").strip()
        return self._team_write(
            name, lambda c, i, at: queries_.resolve_in(c, i, name, query_id, by, resolution, at)
        )

    def queries(
        self, name: str, case_id: str | None = None, state: str | None = None
    ) -> list[Query]:
        """Return the inspection's queries, oldest first (optionally one case's, one state's).

        Raises
        ------
        StoreError
            ``unknown_inspection``, ``query_state`` (not open, answered or resolved).
        """
        state = queries_.check_state(state)
        iid = self._inspection(name).id
        with self._tx.read() as conn:
            return queries_.read_queries(
                conn, iid, None if case_id is None else str(case_id).strip(), state
            )
