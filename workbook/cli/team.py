"""The team's work from the command line: ``team add|role|remove|list``, ``allocate``,
``second-rater``, ``status``, ``sign-off``, ``qa-assure``, ``lock``, ``reopen`` and ``probe``.

Every command takes ``--db URL`` (default: the ``WORKBOOK_DB`` setting) and ``--inspector WHO``
(default: the settings' inspector: ``WORKBOOK_INSPECTOR``, else ``JUPYTERHUB_USER``, else the
login name). The store enforces the team's rules; a refusal exits 2 with the rule named (its
words and its code, ``[rule: role_not_allowed]``), a conflict exits 3.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import Counter

from ..errors import ConflictError, InputError, Problem, WorkbookError
from ..reasons import Reason
from . import load_cli_settings, open_cli_store
from .store import shown

STATUS_ORDER = ("not_started", "in_progress", "complete", "quality_assured", "locked")


# -- shared by the team's and the review's commands ----------------------------------------------


def db_option(parser) -> None:
    parser.add_argument(
        "--db",
        help="store URL (default: WORKBOOK_DB or the embedded SQLite file)",
    )


def who_option(parser) -> None:
    parser.add_argument(
        "--inspector",
        default=None,
        metavar="WHO",
        help="who does this (default: WORKBOOK_INSPECTOR, JUPYTERHUB_USER or the login name)",
    )


def format_option(parser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table")


def common(parser, *, who: bool = True) -> None:
    """``--db`` and (unless ``who`` is False) ``--inspector`` on ``parser``."""
    if who:
        who_option(parser)
    db_option(parser)


def who(args) -> str:
    """The person a command acts as: ``--inspector``, else the settings' inspector."""
    return getattr(args, "inspector", None) or load_cli_settings().inspector


def with_rules(exc: WorkbookError) -> WorkbookError:
    """``exc`` with each problem's rule code named at the end of its message, for scripts."""
    if isinstance(exc, ConflictError):
        return exc
    problems = [
        p
        if f"[rule: {p.code.value}]" in p.message
        else dataclasses.replace(p, message=f"{p.message} [rule: {p.code.value}]")
        for p in exc.problems
    ]
    try:
        return type(exc)(problems, warnings=exc.warnings)
    except TypeError:  # a subclass with its own arguments
        return WorkbookError(problems, warnings=exc.warnings)


def refusals_named(run):
    """Wrap a command so that a refusal of the store names its rule (see :func:`with_rules`)."""

    @functools.wraps(run)
    def wrapper(args) -> int:
        try:
            return run(args)
        except ConflictError:
            raise
        except WorkbookError as exc:
            raise with_rules(exc) from None

    return wrapper


def in_store(args, work, read_only: bool = False):
    """Open the store of ``args.db``, return ``work(store)`` and close the store."""
    store = open_cli_store(args.db, read_only=read_only)
    try:
        return work(store)
    finally:
        store.close()


def bad_arguments(message: str, allowed: str | None = None) -> InputError:
    return InputError(Problem(Reason.BAD_ARGUMENTS, message, allowed=allowed))


def table(header: list[str], rows: list[list[object]]) -> None:
    """Print ``rows`` as ``a | b | c`` lines under ``header``, every value escaped."""
    print(" | ".join(header))
    for row in rows:
        print(" | ".join("" if v is None else shown(v, None) for v in row))


def words(code: str | None) -> str:
    """A role or a status in words: ``quality_assured`` -> ``quality assured``."""
    return "" if code is None else str(code).replace("_", " ")


def count(n: int, thing: str, things: str | None = None) -> str:
    """``1 case``, ``2 cases``."""
    return f"{n} {thing if n == 1 else things or thing + 's'}"


def when(value) -> str | None:
    return None if value is None else value.isoformat()


# -- registration --------------------------------------------------------------------------------


def register(sub) -> None:
    _register_team(sub)
    _register_cases(sub)
    _register_status_steps(sub)


def _register_team(sub) -> None:
    team = sub.add_parser(
        "team",
        help="the team of an inspection: add, role, remove, list",
        description="The members of an inspection's team and their roles. The first member must "
        "be a lead inspector; after that only a lead inspector changes the team.",
    )
    tsub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    p = tsub.add_parser("add", help="add a member with a role")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("person", metavar="PERSON")
    p.add_argument(
        "--role",
        required=True,
        help="inspector, local assessor, quality lead, lead inspector or viewer",
    )
    common(p)
    p.set_defaults(run=run_team_add)

    p = tsub.add_parser("role", help="change a member's role")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("person", metavar="PERSON")
    p.add_argument("role", metavar="ROLE")
    common(p)
    p.set_defaults(run=run_team_role)

    p = tsub.add_parser("remove", help="remove a member")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("person", metavar="PERSON")
    common(p)
    p.set_defaults(run=run_team_remove)

    p = tsub.add_parser("list", help="the members and their roles")
    p.add_argument("inspection", metavar="NAME")
    format_option(p)
    common(p, who=False)
    p.set_defaults(run=run_team_list)


def _register_cases(sub) -> None:
    p = sub.add_parser(
        "allocate",
        help="allocate a case to a member, or the unallocated cases evenly",
        description="Allocate CASE to PERSON, or (--even --seed S) every unallocated case evenly "
        "within each sample and LDU, to the inspectors and local assessors (or --people).",
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("case_id", metavar="CASE", nargs="?")
    p.add_argument("person", metavar="PERSON", nargs="?")
    p.add_argument("--even", action="store_true", help="allocate the unallocated cases evenly")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="the shuffle's seed")
    p.add_argument("--people", default=None, metavar="A,B,...", help="who shares the cases")
    common(p)
    p.set_defaults(run=run_allocate)

    p = sub.add_parser(
        "second-rater",
        help="give a case a blind second rater",
        description="The second rater rates the case again without seeing its first answers.",
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("case_id", metavar="CASE")
    p.add_argument("person", metavar="PERSON")
    common(p)
    p.set_defaults(run=run_second_rater)

    p = sub.add_parser(
        "status",
        help="each case's status, who has it, answers, open queries and probe flags",
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("--case", default=None, metavar="ID", help="only this case")
    format_option(p)
    common(p, who=False)
    p.set_defaults(run=run_status)


def _register_status_steps(sub) -> None:
    steps = (
        ("sign-off", "sign a case off as complete (every applicable key question answered)"),
        ("qa-assure", "mark a complete case quality assured (no open query)"),
        ("lock", "lock a complete or quality-assured case for rating"),
        ("reopen", "reopen a locked case (a reason is required)"),
    )
    for command, text in steps:
        p = sub.add_parser(command, help=text, description=text[0].upper() + text[1:] + ".")
        p.add_argument("inspection", metavar="NAME")
        p.add_argument("case_id", metavar="CASE")
        if command in ("lock", "reopen"):
            p.add_argument("--reason", default=None, metavar="R", help="kept in the history")
        common(p)
        p.set_defaults(run=run_step, step=command)

    p = sub.add_parser(
        "probe", help="flag a case 'probe further' with a note (or --off to clear the flag)"
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("case_id", metavar="CASE")
    p.add_argument("--note", default=None, metavar="TEXT", help="what to probe")
    p.add_argument("--off", action="store_true", help="clear the flag")
    common(p)
    p.set_defaults(run=run_probe)


# -- the team ------------------------------------------------------------------------------------


@refusals_named
def run_team_add(args) -> int:
    by = who(args)
    member = in_store(args, lambda s: s.add_member(args.inspection, args.person, args.role, by))
    print(
        f"{shown(member.person)} added to the team of '{shown(args.inspection)}' "
        f"as {words(member.role)}"
    )
    return 0


@refusals_named
def run_team_role(args) -> int:
    by = who(args)
    member = in_store(args, lambda s: s.change_role(args.inspection, args.person, args.role, by))
    print(f"{shown(member.person)} is now {words(member.role)} in '{shown(args.inspection)}'")
    return 0


@refusals_named
def run_team_remove(args) -> int:
    by = who(args)
    in_store(args, lambda s: s.remove_member(args.inspection, args.person, by))
    print(f"{shown(args.person)} removed from the team of '{shown(args.inspection)}'")
    return 0


@refusals_named
def run_team_list(args) -> int:
    members = in_store(args, lambda s: s.team(args.inspection), read_only=True)
    if args.format == "json":
        rows = [
            {
                "person": m.person,
                "role": m.role,
                "added_by": m.added_by,
                "added_at": when(m.added_at),
            }
            for m in members
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    table(
        ["person", "role", "added by", "added at (UTC)"],
        [[m.person, words(m.role), m.added_by, f"{m.added_at:%Y-%m-%d %H:%M}"] for m in members],
    )
    if not members:
        print(
            "0 members: the inspection has no team, so anyone may write to it. Its first "
            "member must be a lead inspector (team add NAME PERSON --role 'lead inspector')."
        )
        return 0
    print(count(len(members), "member"))
    return 0


# -- cases: allocation, second raters, status ----------------------------------------------------


@refusals_named
def run_allocate(args) -> int:
    by = who(args)
    if args.even:
        if args.case_id or args.person:
            raise bad_arguments(
                "give either CASE PERSON or --even --seed S, not both.",
                "allocate NAME CASE PERSON, or allocate NAME --even --seed S",
            )
        if args.seed is None:
            raise bad_arguments(
                "--even needs --seed S, so that the allocation can be repeated.",
                "a whole number, such as --seed 1",
            )
        people = [p.strip() for p in args.people.split(",") if p.strip()] if args.people else None
        shares = in_store(
            args,
            lambda s: s.allocate_evenly(args.inspection, by, args.seed, people=people),
        )
        for person, cases in shares.items():
            print(
                f"{shown(person)}: {count(len(cases), 'case')}: {', '.join(shown(c) for c in cases)}"
            )
        print(f"{count(sum(len(c) for c in shares.values()), 'case')} allocated")
        return 0
    if not (args.case_id and args.person):
        raise bad_arguments(
            "give CASE and PERSON, or --even --seed S.",
            "allocate NAME CASE PERSON, or allocate NAME --even --seed S",
        )
    if args.seed is not None or args.people:
        raise bad_arguments("--seed and --people go with --even only.")
    work = in_store(args, lambda s: s.allocate(args.inspection, args.case_id, args.person, by))
    print(f"case {shown(work.case_id)} allocated to {shown(work.allocated_to)}")
    return 0


@refusals_named
def run_second_rater(args) -> int:
    by = who(args)
    work = in_store(
        args, lambda s: s.set_second_rater(args.inspection, args.case_id, args.person, by)
    )
    print(f"case {shown(work.case_id)}: second rater {shown(work.second_rater)}")
    return 0


def case_row(work, roles: dict[str, str] | None = None) -> dict:
    """One case's place in the team's work as plain values (the JSON of ``status``)."""
    return {
        "case_id": work.case_id,
        "status": work.status,
        "allocated_to": work.allocated_to,
        "allocated_role": (roles or {}).get(work.allocated_to),
        "second_rater": work.second_rater,
        "answered": work.answered,
        "applicable": work.applicable,
        "open_queries": work.open_queries,
        "probe": work.probe,
        "probe_note": work.probe_note,
        "dip_sample": work.dip_sample,
        "status_by": work.status_by,
        "status_at": when(work.status_at),
    }


def marked(person: str | None, roles: dict[str, str], empty: str = "") -> str:
    """A person for a table, a local assessor marked so: ``assessor-1 (local assessor)``."""
    if not person:
        return empty
    return f"{person} (local assessor)" if roles.get(person) == "local_assessor" else person


def team_roles(store, name: str) -> dict[str, str]:
    """Each member's role, by person."""
    return {m.person: m.role for m in store.team(name)}


def summary(works) -> dict[str, int]:
    """How many cases are in each status (every status, zero included)."""
    counts = Counter(w.status for w in works)
    return {status: counts.get(status, 0) for status in STATUS_ORDER}


@refusals_named
def run_status(args) -> int:
    def read(store):
        roles = team_roles(store, args.inspection)
        if args.case:
            return [store.case_status(args.inspection, args.case)], roles
        return list(store.case_work(args.inspection).values()), roles

    works, roles = in_store(args, read, read_only=True)
    counts = summary(works)
    if args.format == "json":
        rows = [case_row(w, roles) for w in works]
        print(json.dumps({"cases": rows, "summary": counts}, indent=2, ensure_ascii=False))
        return 0
    table(
        ["case", "status", "allocated to", "second rater", "answered", "open queries", "probe"],
        [
            [
                w.case_id,
                words(w.status),
                marked(w.allocated_to, roles, "not allocated"),
                marked(w.second_rater, roles),
                f"{w.answered}/{w.applicable}",
                w.open_queries,
                f"probe: {w.probe_note or 'yes'}" if w.probe else "",
            ]
            for w in works
        ],
    )
    print(
        f"{count(len(works), 'case')}: " + ", ".join(f"{n} {words(s)}" for s, n in counts.items())
    )
    return 0


# -- status steps and the probe flag -------------------------------------------------------------

DONE = {
    "sign-off": "signed off",
    "qa-assure": "quality assured",
    "lock": "locked",
    "reopen": "reopened",
}


@refusals_named
def run_step(args) -> int:
    by = who(args)

    def step(store):
        name, case_id = args.inspection, args.case_id
        if args.step == "sign-off":
            return store.sign_off(name, case_id, by)
        if args.step == "qa-assure":
            return store.quality_assure(name, case_id, by)
        if args.step == "lock":
            return store.lock(name, case_id, by, reason=args.reason)
        return store.reopen(name, case_id, by, args.reason or "")

    work = in_store(args, step)
    print(f"case {shown(work.case_id)} {DONE[args.step]}: now {words(work.status)}")
    return 0


@refusals_named
def run_probe(args) -> int:
    by = who(args)
    if args.off and args.note:
        raise bad_arguments("--off clears the flag and takes no --note.")
    work = in_store(
        args,
        lambda s: s.flag_probe(args.inspection, args.case_id, by, args.note or "", on=not args.off),
    )
    if work.probe:
        print(f"case {shown(work.case_id)} flagged 'probe further': {shown(work.probe_note)}")
    else:
        print(f"case {shown(work.case_id)}: 'probe further' flag cleared")
    return 0
