"""The judgement store from the command line: ``init``, ``import-sample``, ``export``,
``import``, ``history`` and ``judge`` (``--second``: a blind second rating; ``--reason``: why
an answer on a signed-off case changes). Every command takes ``--db URL`` (default: the
``WORKBOOK_DB`` setting, else the embedded SQLite file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import InputError, Problem
from ..reasons import Reason
from . import load_cli_settings, open_cli_store


def shown(value, limit: int | None = 100) -> str:
    """``value`` with control characters escaped (see :func:`workbook.store.names.shown`)."""
    from ..store.names import shown as escape

    return escape(value, limit)


def _db(parser) -> None:
    parser.add_argument(
        "--db",
        help="store URL, e.g. sqlite:///workbook.db or postgresql+psycopg://user@host/db (default: WORKBOOK_DB or the embedded SQLite file)",
    )


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            Problem(
                Reason.BAD_DATE,
                f"'{value}' is not a date.",
                value=value,
                allowed="YYYY-MM-DD, such as 2019-03-04",
            )
        ) from None


def register(sub) -> None:
    p = sub.add_parser(
        "init",
        help="create (or upgrade) the store's tables",
        description="Create the store's tables, or upgrade a store made by an older version.",
    )
    _db(p)
    p.set_defaults(run=run_init)

    p = sub.add_parser(
        "import-sample",
        help="add a case sample to an inspection (creating it when new)",
        description="Import a case sample into an inspection; importing the same file twice changes nothing.",
    )
    p.add_argument("sample", metavar="SAMPLE", help="the case list: CSV or Excel")
    p.add_argument("--inspection", required=True, metavar="NAME")
    p.add_argument(
        "--framework",
        default="hmip-2018-crc",
        help="framework id or YAML path for a new inspection (default hmip-2018-crc)",
    )
    p.add_argument("--provider", default="", help="the provider inspected, for a new inspection")
    p.add_argument("--sheet", default=None, help="the sheet of an Excel file")
    p.add_argument("--fieldwork-start", default=None, help="YYYY-MM-DD, for a new inspection")
    p.add_argument("--fieldwork-end", default=None, help="YYYY-MM-DD, for a new inspection")
    p.add_argument(
        "--inspector",
        default=None,
        help="recorded in the history (default: WORKBOOK_INSPECTOR or the login name)",
    )
    _db(p)
    p.set_defaults(run=run_import_sample)

    p = sub.add_parser(
        "export", help="write an inspection to CSV files with a checksummed manifest"
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("--out", required=True, metavar="FOLDER")
    _db(p)
    p.set_defaults(run=run_export)

    p = sub.add_parser(
        "import",
        help="load an export into the store (refused if damaged)",
        description="Load an inspection exported with `export`. A damaged export (missing file, checksum mismatch) is refused and nothing changes.",
    )
    p.add_argument("folder", metavar="FOLDER")
    _db(p)
    p.set_defaults(run=run_import)

    p = sub.add_parser("history", help="every change to an inspection, oldest first")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("--case", default=None, metavar="ID", help="only this case's changes")
    _db(p)
    p.set_defaults(run=run_history)

    p = sub.add_parser(
        "judge", help="save one judgement (prints the new version; exit 3 on a conflict)"
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("case_id", metavar="CASE_ID")
    p.add_argument("question", metavar="KQ")
    p.add_argument(
        "answer", metavar="ANSWER", help="yes, no or not_applicable; 'clear' removes the answer"
    )
    p.add_argument(
        "--inspector",
        default=None,
        metavar="WHO",
        help="who saves it (default: WORKBOOK_INSPECTOR, else JUPYTERHUB_USER, else the login name)",
    )
    p.add_argument("--note", default=None)
    p.add_argument(
        "--expect-version",
        type=int,
        default=None,
        metavar="V",
        help="the version you last saw (0: no answer yet); a later save by someone else is a conflict",
    )
    p.add_argument(
        "--reason",
        default=None,
        metavar="R",
        help="why the answer changes (needed on a complete or quality-assured case; kept in the history)",
    )
    p.add_argument(
        "--second",
        action="store_true",
        help="a blind second rating, by the case's second rater (never enters the ratings)",
    )
    _db(p)
    p.set_defaults(run=run_judge)


def run_init(args) -> int:
    from ..store import SCHEMA_VERSION

    store = open_cli_store(args.db)
    print(f"store ready (schema {SCHEMA_VERSION}): {store.url}")
    store.close()
    return 0


def run_import_sample(args) -> int:
    from ..errors import StoreError
    from ..files import load_framework, load_sample
    from ..store import ImportResult

    settings = load_cli_settings()
    inspector = args.inspector or settings.inspector
    sample = load_sample(args.sample, sheet=args.sheet)
    for warning in sample.warnings:
        print(f"warning: {warning}")
    store = open_cli_store(args.db, settings=settings)
    try:
        try:
            store.inspection(args.inspection)
        except StoreError as exc:
            if Reason.UNKNOWN_INSPECTION not in exc.codes:
                raise
            framework = load_framework(args.framework, extra=settings.frameworks_dir)
            start = _date_arg(args.fieldwork_start) if args.fieldwork_start else None
            end = _date_arg(args.fieldwork_end) if args.fieldwork_end else None
            # the inspection and its cases in one transaction: a failed import leaves nothing
            store.create_inspection(
                args.inspection,
                framework,
                provider=args.provider,
                fieldwork_start=start,
                fieldwork_end=end,
                inspector=inspector,
                cases=sample.cases,
            )
            print(
                f"created inspection '{shown(args.inspection)}' ({framework.id} version {framework.version})"
            )
            result = ImportResult(len(sample.cases), 0, 0)
        else:
            result = store.import_cases(args.inspection, sample.cases, inspector=inspector)
    finally:
        store.close()
    print(
        f"{Path(args.sample).name}: {result.added} cases added, {result.unchanged} unchanged, {result.updated} updated"
    )
    return 0


def run_export(args) -> int:
    store = open_cli_store(args.db, read_only=True)
    try:
        folder = store.export_inspection(args.inspection, args.out)
    finally:
        store.close()
    print(f"exported '{shown(args.inspection)}' to {shown(folder, None)}")
    return 0


def run_import(args) -> int:
    store = open_cli_store(args.db)
    try:
        inspection = store.import_export(args.folder)
    finally:
        store.close()
    print(f"imported inspection '{shown(inspection.name)}' from {shown(args.folder, None)}")
    return 0


def run_history(args) -> int:
    store = open_cli_store(args.db, read_only=True)
    try:
        entries = store.history(args.inspection, case_id=args.case)
    finally:
        store.close()
    print("when (UTC)           | who | what | key | version | old -> new")
    for e in entries:
        old = "(none)" if e.old is None else shown(e.old, None)
        new = "(none)" if e.new is None else shown(e.new, None)
        note = (
            f"  note: {shown(e.new_note, None)}" if e.new_note and e.new_note != e.old_note else ""
        )
        version = "" if e.version is None else e.version
        by, key = shown(e.by, None), shown(e.key, None)
        print(
            f"{e.at:%Y-%m-%d %H:%M:%S} | {by} | {e.entity} | {key} | {version} | {old} -> {new}{note}"
        )
    print(f"{len(entries)} changes")
    return 0


def run_judge(args) -> int:
    from .team import refusals_named

    return refusals_named(_judge)(args)


def _judge(args) -> int:
    from .team import who

    answer = None if args.answer.strip().lower() == "clear" else args.answer
    if args.second and args.reason:
        raise InputError(
            Problem(
                Reason.BAD_ARGUMENTS,
                "--reason goes with a first answer; a second rating takes none.",
                allowed="judge ... --second, or judge ... --reason R",
            )
        )
    store = open_cli_store(args.db)
    try:
        if args.second:
            result = store.save_second_judgement(
                args.inspection,
                args.case_id,
                args.question,
                answer,
                who(args),
                note=args.note,
                expect_version=args.expect_version,
            )
        else:
            result = store.save_judgement(
                args.inspection,
                args.case_id,
                args.question,
                answer,
                who(args),
                note=args.note,
                expect_version=args.expect_version,
                reason=args.reason,
            )
    finally:
        store.close()
    print(result.judgement.version)
    return 0
