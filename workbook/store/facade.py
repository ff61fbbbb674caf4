"""The judgement store: the single source of truth for an inspection's judgements.

:class:`Store` is a thin facade: each public method is one short transaction
(:mod:`.transactions`) that hands its work to the module of its concern (:mod:`.inspections`,
:mod:`.cases`, :mod:`.judgements`, :mod:`.decisions`, :mod:`.history`, :mod:`.exchange`) and
returns frozen values (:mod:`.values`), never ORM rows.

- Optimistic concurrency: a save may carry the version the inspector last saw
  (``expect_version``; 0 when there was no answer). If someone else saved since, the save
  raises :class:`ConflictError` naming who, when and what, and saves nothing. A save that
  changes nothing writes nothing (:mod:`.saving`).
- Every change to an inspection, its cases, judgements and decisions is appended to the
  history table (old value, new value, who, when); nothing in it is ever updated.
- An inspection is pinned to the framework version it was created with.

Beyond the team contract: ``Store.framework(name)`` (the pinned framework),
``Store.stored_decisions(name)`` (decisions with versions, withdrawn ones included),
``Store.save_judgements(name, rows)`` (a batch in one transaction, last write wins) and
``Store.bulk_load_judgements`` (benchmark set-up only).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from ..errors import Problem, StoreError
from ..framework import Framework
from ..judgements import Decision
from ..reasons import Reason
from . import cases as cases_
from . import decisions as decisions_
from . import exchange, history, imports, inspections, schema, team, team_facade
from . import judgements as judgements_
from .review_facade import ReviewStore
from .team_facade import TeamStore
from .transactions import Transactions
from .values import (
    HistoryEntry,
    ImportResult,
    Inspection,
    SaveResult,
    StoredDecision,
    StoredJudgement,
    blank_to_none,
    now,
)


def _located(exc: StoreError, file: str) -> list[Problem]:
    return [replace(p, file=p.file or file) for p in exc.problems]


class Store(TeamStore, ReviewStore):
    """Judgements, decisions and their history for any number of inspections.

    Open one with :func:`workbook.store.open_store`.

    Parameters
    ----------
    engine
        The SQLAlchemy engine.
    url_text
        The store's URL as shown to people (password hidden).
    read_only
        True when the connection itself refuses writes.
    frameworks
        The extra folder of framework files (the ``WORKBOOK_FRAMEWORKS`` setting) where an
        inspection's framework is looked for, or None for the built-in ones only.
    """

    def __init__(
        self,
        engine: Engine,
        url_text: str,
        read_only: bool,
        frameworks: Path | str | None = None,
    ):
        self._engine = engine
        self._tx = Transactions(engine, url_text, read_only)
        self.url = url_text
        self.read_only = read_only
        self.frameworks = frameworks
        self.dialect = engine.dialect.name
        self._sql = judgements_.DIALECTS.get(self.dialect)
        self._frameworks: dict[tuple[str, str], Framework] = {}
        self._inspection_cache: dict[str, Any] = {}

    def close(self) -> None:
        """Close every connection of the store."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _prepare(self) -> None:
        schema.prepare(self._tx)

    # -- inspections -------------------------------------------------------------------------

    def _inspection(self, name: str) -> Any:
        """The inspection's row, read once: an inspection's name, id and framework never change."""
        if name not in self._inspection_cache:
            with self._tx.read() as conn:
                self._inspection_cache[name] = inspections.inspection_row(conn, name)
        return self._inspection_cache[name]

    def _inspection_id(self, conn: Connection, name: str) -> int:
        if name not in self._inspection_cache:
            self._inspection_cache[name] = inspections.inspection_row(conn, name)
        return self._inspection_cache[name].id

    def _framework_of(self, row: Any) -> Framework:
        key = (row.framework_id, row.framework_version)
        if key not in self._frameworks:
            self._frameworks[key] = inspections.pinned_framework(row, self.frameworks)
        return self._frameworks[key]

    def _pinned(self, framework_id: str, version: str) -> Framework:
        """The framework ``framework_id`` if it is ``version``; else ``framework_version``."""
        pin = SimpleNamespace(name="(import)", framework_id=framework_id, framework_version=version)
        return self._framework_of(pin)

    def framework(self, name: str) -> Framework:
        """Return the framework an inspection is pinned to.

        Raises
        ------
        StoreError
            ``unknown_inspection``; ``framework_version`` when the framework installed under
            its id is another version than the one the inspection was created with.
        """
        with self._tx.read() as conn:
            row = inspections.inspection_row(conn, name)
        return self._framework_of(row)

    def inspection(self, name: str) -> Inspection:
        """Return the inspection called ``name``; ``unknown_inspection`` names the known ones."""
        with self._tx.read() as conn:
            return inspections.to_inspection(conn, inspections.inspection_row(conn, name))

    def inspections(self) -> list[Inspection]:
        """Return every inspection in the store, by name."""
        with self._tx.read() as conn:
            return inspections.list_inspections(conn)

    def create_inspection(
        self,
        name: str,
        framework: Framework | str,
        provider: str = "",
        fieldwork_start: date | None = None,
        fieldwork_end: date | None = None,
        inspector: str = "workbook",
        cases: pd.DataFrame | None = None,
        judgements=None,
        decisions=None,
    ) -> Inspection:
        """Create an inspection pinned to ``framework``, optionally with its content.

        With ``cases`` (a table with case_id, as :meth:`import_cases` takes), ``judgements``
        (rows as :meth:`save_judgements` takes) and ``decisions`` (rows of standard, rating,
        reason and optionally inspector) it is created with them in ONE transaction: every
        problem is found first, and a failure part-way leaves no inspection at all, so the
        same call can simply be made again.

        Raises
        ------
        StoreError
            Every problem of the name, dates, cases, judgements and decisions at once;
            ``inspection_exists``; ``read_only``.
        """
        name = inspections.check_new_inspection(name, fieldwork_start, fieldwork_end)
        if isinstance(framework, str):
            framework = inspections.load_framework(framework, self.frameworks)
        self._tx.refuse_if_read_only()
        records, clean, checked = self._check_content(
            framework, name, inspector, cases, judgements, decisions
        )
        at = now()

        def work(conn: Connection) -> Inspection:
            row = inspections.insert_inspection(
                conn, name, framework, provider, (fieldwork_start, fieldwork_end), inspector, at
            )
            if records is not None:
                cases_.import_cases_in(conn, row.id, records, inspector, at)
            if clean:
                judgements_.save_batch(conn, self._sql, row.id, name, clean)
            for standard, rating, reason, who in checked:
                decisions_.save_decision_in(conn, row.id, standard, rating, reason, who, None)
            return inspections.to_inspection(conn, row)

        result = self._tx.write(work)
        self._frameworks[(framework.id, str(framework.version))] = framework
        return result

    def _check_content(self, framework, name, inspector, cases, judgements, decisions):
        """The new inspection's cases, judgements and decisions checked; every problem at once."""
        if (judgements is not None or decisions is not None) and cases is None:
            raise StoreError(
                Problem(
                    Reason.CASES_REQUIRED,
                    f"judgements and decisions for inspection '{name}' need its cases.",
                    allowed="cases=, a table with case_id and the cases' attributes",
                )
            )
        problems: list[Problem] = []
        records = clean = None
        checked: list = []
        if cases is not None:
            try:
                records = cases_.check_cases(cases)
            except StoreError as exc:
                problems += _located(exc, "cases")
        if judgements is not None:
            try:
                clean = judgements_.check_rows(framework, name, judgements, inspector, "judgements")
            except StoreError as exc:
                problems += exc.problems
        if decisions is not None:
            try:
                checked = decisions_.check_rows(framework, decisions, inspector)
            except StoreError as exc:
                problems += exc.problems
        if problems:
            raise StoreError(problems)
        return records, clean, checked

    # -- cases -------------------------------------------------------------------------------

    def import_cases(
        self, name: str, cases_df: pd.DataFrame, inspector: str = "import"
    ) -> ImportResult:
        """Add the cases of a sample.

        A case already there with the same attributes is unchanged, one with new attributes
        is updated (and the change recorded).
        """
        records = cases_.check_cases(cases_df)
        at = now()

        def work(conn: Connection) -> ImportResult:
            iid = self._inspection_id(conn, name)
            return cases_.import_cases_in(conn, iid, records, inspector, at)

        return self._tx.write(work)

    def cases(self, name: str) -> pd.DataFrame:
        """Return case_id and the attributes, as imported, one row per case in import order."""
        with self._tx.read() as conn:
            return cases_.read_cases(conn, self._inspection_id(conn, name))

    # -- judgements --------------------------------------------------------------------------

    def save_judgement(
        self,
        name: str,
        case_id: str,
        question: str,
        answer: str | None,
        inspector: str,
        note: str | None = None,
        expect_version: int | None = None,
        reason: str | None = None,
    ) -> SaveResult:
        """Save one answer (None clears it).

        ``expect_version`` is the version last seen, 0 for no answer; if someone saved
        since, :class:`ConflictError` and nothing is saved. ``reason`` is kept in the
        history; changing an answer of a complete or quality-assured case needs one. With a
        team, the team's rules hold (:func:`workbook.store.team_facade.save_by_the_rules`).

        Raises
        ------
        StoreError
            ``unknown_case``, ``unknown_key_question``, ``unknown_answer``,
            ``answer_not_allowed``, ``no_inspector``, ``read_only``; the team's
            ``not_a_member``, ``role_not_allowed``, ``not_allocated``, ``case_locked``,
            ``reason_required``.
        ConflictError
            Someone saved since ``expect_version``.
        """
        case_id, question = str(case_id).strip(), str(question).strip()
        inspector = judgements_.check_inspector(inspector)
        self._tx.refuse_if_read_only()
        irow = self._inspection(name)
        answer = judgements_.check_one(self._framework_of(irow), name, question, answer)
        save = judgements_.Save(
            irow.id,
            name,
            case_id,
            question,
            answer,
            blank_to_none(note),
            inspector,
            expect_version,
            blank_to_none(reason),
        )
        return self._tx.write(
            lambda conn: team_facade.save_by_the_rules(conn, self.dialect, self._sql, save)
        )

    def save_judgements(
        self, name: str, rows, inspector: str | None = None, reason: str | None = None
    ) -> list[SaveResult]:
        """Save many answers in one transaction, last write wins (no version check).

        Rows are (case_id, question, answer, inspector, note), or (case_id, question, answer)
        with ``inspector``. Every problem is collected first; if there is any, nothing is
        saved. The team's rules hold for every row, as for :meth:`save_judgement`
        (``reason`` is every change's).

        Raises
        ------
        StoreError
            Every problem of the rows, ``unknown_case``, and the team's rules' refusals.
        """
        self._tx.refuse_if_read_only()
        irow = self._inspection(name)
        clean = judgements_.check_rows(self._framework_of(irow), name, rows, inspector)
        reason = blank_to_none(reason)
        return self._tx.write(
            lambda conn: team_facade.save_batch_by_the_rules(
                conn, self._sql, irow.id, name, clean, reason
            )
        )

    def judgements(self, name: str) -> pd.DataFrame:
        """Return every current answer (cleared ones left out).

        Columns: case_id, question, answer, note, inspector, saved_at (UTC), version. What
        :func:`workbook.ratings.rate` takes.
        """
        irow = self._inspection(name)
        with self._tx.read() as conn:
            frame = judgements_.load_judgements(conn, irow.id)
        judgements_.check_stored(self._framework_of(irow), name, frame)
        return frame

    def case_judgements(self, name: str, case_id: str) -> dict[str, StoredJudgement]:
        """Return the case's judgements by key question, cleared ones included (answer None).

        Cleared ones are there so the caller knows their version.
        """
        irow = self._inspection(name)
        with self._tx.read() as conn:
            found = judgements_.case_judgements(conn, irow.id, case_id)
        rows = [(j.case_id, j.question, j.answer) for j in found.values()]
        frame = pd.DataFrame(rows, columns=["case_id", "question", "answer"], dtype=object)
        judgements_.check_stored(self._framework_of(irow), name, frame)
        return found

    def bulk_load_judgements(
        self, name: str, rows: list[tuple[str, str, str]], inspector: str = "bulk"
    ) -> int:
        """Insert many first answers at once, without history: set-up for benchmarks only."""
        return self._tx.write(
            lambda conn: judgements_.bulk_insert(
                conn, self._inspection_id(conn, name), rows, inspector
            )
        )

    # -- decisions ---------------------------------------------------------------------------

    def save_decision(
        self,
        name: str,
        standard: str,
        rating: str | None,
        reason: str,
        inspector: str,
        expect_version: int | None = None,
    ) -> StoredDecision:
        """Set a standard's rating by judgement (domain one) or discretion.

        Rating None withdraws the decision. A rating is matched ignoring case, spaces and
        punctuation (``requires-improvement`` is *Requires improvement*). Same concurrency
        rules as :meth:`save_judgement`. With a team only a lead inspector decides.

        Raises
        ------
        StoreError
            ``unknown_standard`` and the other problems of the decision, ``read_only``; the
            team's ``not_a_member`` and ``role_not_allowed``.
        ConflictError
            Someone saved since ``expect_version``.
        """
        self._tx.refuse_if_read_only()
        irow = self._inspection(name)
        standard, rating, reason, inspector = decisions_.check(
            self._framework_of(irow), standard, rating, reason, inspector
        )

        def work(conn: Connection) -> StoredDecision:
            team.require_role(
                conn, irow.id, name, inspector, team.LEADING, "decide a standard's rating"
            )
            return decisions_.save_decision_in(
                conn, irow.id, standard, rating, reason, inspector, expect_version
            )

        return self._tx.write(work)

    def stored_decisions(self, name: str) -> dict[str, StoredDecision]:
        """Return every decision by standard, withdrawn ones included (rating None)."""
        irow = self._inspection(name)
        with self._tx.read() as conn:
            found = decisions_.stored_decisions(conn, irow.id)
        pairs = [(d.standard, d.rating) for d in found.values()]
        decisions_.check_stored(self._framework_of(irow), name, pairs)
        return found

    def decisions(self, name: str) -> list[Decision]:
        """Return the standing decisions, as :func:`workbook.ratings.rate` takes them."""
        return [
            s.as_decision() for s in self.stored_decisions(name).values() if s.rating is not None
        ]

    # -- history, export and import ----------------------------------------------------------

    def history(self, name: str, case_id: str | None = None) -> list[HistoryEntry]:
        """Return every change, oldest first (optionally only one case's)."""
        with self._tx.read() as conn:
            return history.read_history(conn, self._inspection_id(conn, name), case_id)

    def last_change(self, name: str) -> str:
        """Return a token that differs after any change to the inspection (a cheap query:
        watchers poll it to know when to rebuild a snapshot or a published page)."""
        with self._tx.read() as conn:
            return history.last_change(conn, self._inspection_id(conn, name))

    def export_inspection(self, name: str, folder: Path | str) -> Path:
        """Write the inspection as CSV files plus ``manifest.json`` (sha256 of each file)."""
        with self._tx.read() as conn:
            tables = exchange.export_tables(conn, name)
        exchange.check_export(self._framework_of(self._inspection(name)), name, tables)
        return exchange.write_export(name, tables, folder)

    def import_export(self, folder: Path | str) -> Inspection:
        """Load an export into this store as a new inspection.

        A damaged export (missing file, checksum mismatch) or a name already taken is refused
        and changes nothing.
        """
        self._tx.refuse_if_read_only()
        tables = imports.check_import(folder, exchange.read_export(folder), self._pinned)
        name = self._tx.write(lambda conn: exchange.import_tables(conn, tables, folder))
        self._inspection_cache.pop(name, None)
        return self.inspection(name)
