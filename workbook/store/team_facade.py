"""The team's part of the :class:`~workbook.store.Store` facade: members, allocation, case
status and sign-off, the "probe further" flag and quality-assurance queries (see
:mod:`workbook.store.team`, :mod:`workbook.store.status`, :mod:`workbook.store.queries`).
:class:`TeamStore` is a mixin of ``Store``: each method is one short transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from . import status, team
from .values import Access, CaseWork, Member, now


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
        """Allocate every unallocated case, spread evenly within each (sample, LDU).

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
