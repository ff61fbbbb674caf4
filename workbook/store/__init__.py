"""The judgement store: the single source of truth for an inspection's judgements.

SQLite file by default (WAL journal, busy timeout, foreign keys on), PostgreSQL by URL
(``postgresql+psycopg://...``): the same schema on both. Open one with :func:`open_store`;
every public method of :class:`Store` is one short transaction and returns frozen domain
values, never ORM rows. Read and rate an inspection with :func:`load_rated`.

One module per concern:

- ``values``: what the store returns (``Inspection``, ``StoredJudgement``, ``SaveResult``, ...)
- ``schema``: the tables, the schema version and its upgrades
- ``engine``: URLs, SQLite pragmas, PostgreSQL; :func:`open_store`
- ``transactions``: read and write transactions, retries, errors classified by driver codes
- ``saving``: the one rule deciding whether a save writes and with what version
- ``history``: the one builder of a history row
- ``inspections``, ``cases``, ``judgements`` (the hot path's SQL for both databases side by
  side), ``decisions``
- ``names``: the names a new inspection may take; a name shown or used in a path safely
- ``exchange``: export and import (:func:`read_export`); ``imports``: an import's checks
- ``reading``: :func:`load_rated`
- ``facade``: :class:`Store`, the thin facade over them
"""

from .engine import open_store
from .exchange import EXPORT_COLUMNS, EXPORT_FILES, EXPORT_FORMAT, read_export
from .facade import Store
from .names import MAX_NAME_LENGTH, check_name, path_part, shown
from .reading import RatedInspection, load_rated
from .schema import SCHEMA_VERSION
from .values import (
    HistoryEntry,
    ImportResult,
    Inspection,
    SaveResult,
    StoredDecision,
    StoredJudgement,
)

__all__ = [
    "EXPORT_COLUMNS",
    "EXPORT_FILES",
    "EXPORT_FORMAT",
    "MAX_NAME_LENGTH",
    "SCHEMA_VERSION",
    "HistoryEntry",
    "ImportResult",
    "Inspection",
    "RatedInspection",
    "SaveResult",
    "Store",
    "StoredDecision",
    "StoredJudgement",
    "check_name",
    "load_rated",
    "open_store",
    "path_part",
    "read_export",
    "shown",
]
