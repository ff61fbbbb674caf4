"""Every problem code the workbook raises, once, with one meaning each.

A problem code is a stable name a script or a test can rely on (``python -m workbook ...
--format json`` prints it); the message beside it is for people and may be reworded. A
``Reason`` is a ``str``, so ``Reason.NOT_TEXT == "not_text"`` and JSON shows the plain code.
Add a member here before raising a new code: ``errors.Problem`` refuses a code that is not one.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Reason"]


class Reason(StrEnum):
    """The reason codes of problems, one member per code, each with one meaning.

    The comment after each member says what the code means. Codes are grouped by where they
    usually arise; a code means the same thing wherever it is raised.
    """

    # General
    ERROR = "error"  # a problem given only as text (``WorkbookError("...")``)
    CONFLICT = "conflict"  # someone else saved since the version the caller last saw

    # Command-line arguments and settings
    BAD_ARGUMENT = "bad_argument"  # a command-line value is out of its range
    BAD_ARGUMENTS = "bad_arguments"  # command-line options that do not go together
    BAD_DATE = "bad_date"  # a value is not a date
    BAD_SETTING = "bad_setting"  # a WORKBOOK_* setting is not valid
    UNKNOWN_ATTRIBUTE = "unknown_attribute"  # a case attribute to break down by is not known

    # Reading files
    MISSING_FILE = "missing_file"  # the file does not exist
    NOT_A_FILE = "not_a_file"  # the path is a folder, not a file
    UNREADABLE = "unreadable"  # the file cannot be read (permission denied)
    NOT_BYTES = "not_bytes"  # an upload holds no file content
    EMPTY_FILE = "empty_file"  # the file holds no rows
    NOT_UTF8 = "not_utf8"  # the file is not UTF-8 text
    BINARY_FILE = "binary_file"  # the file holds binary data, not text
    NOT_TABLE = "not_table"  # the file's content is not a table this workbook reads
    NOT_YAML = "not_yaml"  # a framework file is not valid YAML
    OLD_EXCEL = "old_excel"  # an Excel 97-2003 .xls workbook, which cannot be read
    SHEET_FOR_CSV = "sheet_for_csv"  # a sheet was named for a CSV file
    UNKNOWN_SHEET = "unknown_sheet"  # the workbook has no sheet of that name
    MISSING_COLUMN = "missing_column"  # a required column is missing
    DUPLICATE_COLUMN = "duplicate_column"  # two columns map to the same canonical column
    OPEN_QUOTE = "open_quote"  # a quote opened in a CSV cell is not closed where the row ends
    MIXED_ENCODING = "mixed_encoding"  # a UTF-8 file holds bytes of another encoding
    FILE_TOO_LARGE = "file_too_large"  # a file, or a part of an XLSX archive, is too large
    ZIP_BOMB = "zip_bomb"  # an XLSX part expands far more than a real workbook does
    TOO_MANY_ROWS = "too_many_rows"  # a sheet holds more rows than a case list may
    CELL_TOO_LONG = "cell_too_long"  # a cell holds more characters than a cell may
    TOO_DEEP = "too_deep"  # a framework document is nested deeper than allowed

    # Frameworks
    UNKNOWN_FRAMEWORK = "unknown_framework"  # no framework of that id is installed
    ID_MISMATCH = "id_mismatch"  # a framework's id differs from its file name
    NOT_A_MAPPING = "not_a_mapping"  # a part of the document is not a mapping (or list of them)
    NOT_TEXT = "not_text"  # a value must be text
    NOT_BOOLEAN = "not_boolean"  # a value must be true or false
    MISSING_TEXT = "missing_text"  # a text value is missing or empty
    BAD_ID = "bad_id"  # an id is not dotted numbers such as '2.1.3'
    DUPLICATE_ID = "duplicate_id"  # an id is used twice
    ID_PREFIX = "id_prefix"  # an id does not start with its parent's id
    MISSING_DOMAINS = "missing_domains"  # the framework lists no domains
    MISSING_STANDARDS = "missing_standards"  # a domain lists no standards
    MISSING_KEY_QUESTIONS = "missing_key_questions"  # a standard lists no key questions
    MISSING_SAMPLES = "missing_samples"  # the framework lists no case samples
    UNKNOWN_SAMPLE = "unknown_sample"  # a key question names a sample the framework lacks
    JUDGED_WITH_SAMPLE = "judged_with_sample"  # a judged standard's key question names a sample
    BAD_RATED_FROM = "bad_rated_from"  # not a way of rating a standard
    BAD_PROMPTS = "bad_prompts"  # a key question's prompts are not a list of text
    BAD_RATINGS = "bad_ratings"  # the framework's list of ratings is not valid
    BAD_ROUNDING = "bad_rounding"  # not a way of rounding percentages
    MISSING_THRESHOLDS = "missing_thresholds"  # the band thresholds are missing
    BAD_THRESHOLD = "bad_threshold"  # a band threshold is not a percentage in order
    MISSING_POINTS = "missing_points"  # the points of each rating are missing
    BAD_POINTS = "bad_points"  # a rating's points are not a whole number
    MISSING_BANDS = "missing_bands"  # the overall bands are missing
    BAD_BAND = "bad_band"  # an overall band is not valid

    # Judgements, decisions and case ids
    UNKNOWN_KEY_QUESTION = "unknown_key_question"  # no key question of that id
    UNKNOWN_ANSWER = "unknown_answer"  # not an answer (yes, no, not applicable)
    ANSWER_NOT_ALLOWED = "answer_not_allowed"  # an answer the key question does not allow
    DUPLICATE_JUDGEMENT = "duplicate_judgement"  # the same case and key question twice
    UNKNOWN_STANDARD = "unknown_standard"  # no standard of that id
    UNKNOWN_RATING = "unknown_rating"  # not a rating of the framework
    MISSING_RATING = "missing_rating"  # a decision gives no rating
    MISSING_REASON = "missing_reason"  # a decision gives no reason
    DUPLICATE_DECISION = "duplicate_decision"  # the same standard decided twice
    EMPTY_CASE_ID = "empty_case_id"  # a case id is empty
    DUPLICATE_CASE_ID = "duplicate_case_id"  # the same case id twice
    NO_INSPECTOR = "no_inspector"  # no inspector's name was given with a save

    # Case lists and drawing samples
    NO_CASES = "no_cases"  # a case list or sample holds no cases
    TOTAL_ROW = "total_row"  # a footer row of totals below the cases, skipped
    CASES_REQUIRED = "cases_required"  # judgements or decisions given without their cases
    EMPTY_VALUE = "empty_value"  # a required value is empty
    UNKNOWN_VALUE = "unknown_value"  # a value is not one of the column's vocabulary
    BAD_AGE = "bad_age"  # a value is not an age in years
    YOUNG_AGE = "young_age"  # cases under 18 in an adult case list
    BAD_SEED = "bad_seed"  # a draw seed is not a whole number
    MIXED_SEEDS = "mixed_seeds"  # the rows record different draw seeds
    LDU_SPELLING = "ldu_spelling"  # two LDU names differ only in spelling
    LDU_SIMILAR = "ldu_similar"  # two LDU names are spelt almost alike
    SMALL_LDU = "small_ldu"  # an LDU has few cases in a sample
    BAD_N = "bad_n"  # a sample size is not a whole number of 1 or more
    N_TOO_LARGE = "n_too_large"  # a sample size is larger than the population
    NO_STRATA = "no_strata"  # no stratum column was given
    UNKNOWN_STRATUM = "unknown_stratum"  # a stratum column is not a case-list column
    EMPTY_STRATUM_VALUE = "empty_stratum_value"  # a case has no value in a stratum column
    STRATUM_TOO_SMALL = "stratum_too_small"  # a stratum has too few cases for its share

    # The store
    MISSING_STORE = "missing_store"  # the store file does not exist (and cannot be created)
    NOT_A_STORE = "not_a_store"  # the file or database is not a workbook store
    BAD_URL = "bad_url"  # a store URL is not one the workbook opens
    CANNOT_OPEN = "cannot_open"  # the store cannot be opened
    CANNOT_CONNECT = "cannot_connect"  # the database server cannot be reached
    CANNOT_READ = "cannot_read"  # the SQLite store cannot be read here (WAL, read-only)
    READ_ONLY = "read_only"  # the store is read-only: nothing was saved
    LOCKED = "locked"  # the store stayed busy or locked: nothing was saved
    DISK_FULL = "disk_full"  # the disk is full: nothing was saved
    STORE_FAILED = "store_failed"  # the store could not complete the operation
    SCHEMA_TOO_NEW = "schema_too_new"  # the store was made by a newer workbook
    SCHEMA_NOT_READY = "schema_not_ready"  # the store needs setting up but is read-only
    EMPTY_NAME = "empty_name"  # an inspection name is empty
    BAD_DATES = "bad_dates"  # the fieldwork ends before it starts
    INSPECTION_EXISTS = "inspection_exists"  # an inspection of that name exists
    UNKNOWN_INSPECTION = "unknown_inspection"  # no inspection of that name
    UNKNOWN_CASE = "unknown_case"  # no case of that id in the inspection
    FRAMEWORK_VERSION = "framework_version"  # the framework installed differs from the pin
    BAD_NAME = "bad_name"  # an inspection name has characters or a length not allowed
    BAD_STORED_VALUE = "bad_stored_value"  # a value read from the store is not one it may hold
    MALFORMED_STORE = "malformed_store"  # the SQLite file fails its quick check: not written

    # The team's rules (an inspection with a team; see workbook.store.team)
    UNKNOWN_ROLE = "unknown_role"  # not a role of an inspection's team
    NOT_A_MEMBER = "not_a_member"  # the person is not a member of the inspection's team
    MEMBER_EXISTS = "member_exists"  # the person is already a member of the team
    FIRST_MEMBER_LEAD = "first_member_lead"  # a team's first member must be a lead inspector
    LAST_LEAD = "last_lead"  # the team's only lead inspector cannot be removed or changed
    ROLE_NOT_ALLOWED = "role_not_allowed"  # the member's role may not do this
    NOT_ALLOCATED = "not_allocated"  # the case is not allocated to the person writing
    CASE_LOCKED = "case_locked"  # the case is locked for rating: reopen it first
    REASON_REQUIRED = "reason_required"  # the change needs a reason (a signed-off case, ...)
    CASE_NOT_COMPLETE = "case_not_complete"  # applicable key questions are not answered
    BAD_STATUS_CHANGE = "bad_status_change"  # the case's status does not allow this step
    NOT_SECOND_RATER = "not_second_rater"  # the person is not the case's second rater
    SECOND_RATER_IS_FIRST = "second_rater_is_first"  # the second rater has the case already
    UNKNOWN_QUERY = "unknown_query"  # no query of that number in the inspection
    QUERY_STATE = "query_state"  # the query's state does not allow this step
    NOTHING_TO_ADJUDICATE = "nothing_to_adjudicate"  # the two ratings agree, or one is missing

    # Exports and imports
    EXPORT_NOT_A_FOLDER = "export_not_a_folder"  # the export path is not a folder
    EXPORT_FOLDER_IN_USE = "export_folder_in_use"  # the export folder holds other files
    CANNOT_WRITE_EXPORT = "cannot_write_export"  # the export files cannot be written
    CANNOT_WRITE_SITE = "cannot_write_site"  # the static site cannot be written
    CANNOT_WRITE_FILE = "cannot_write_file"  # a file cannot be written: nothing left under its name
    BAD_PATH = "bad_path"  # a folder or file name holds NUL or another control character
    MISSING_MANIFEST = "missing_manifest"  # an export folder has no manifest.json
    BAD_MANIFEST = "bad_manifest"  # manifest.json is damaged
    EXPORT_FORMAT = "export_format"  # the export's format is not one this workbook reads
    NOT_IN_MANIFEST = "not_in_manifest"  # a file the manifest does not list
    CHECKSUM_MISMATCH = "checksum_mismatch"  # a file differs from its manifest checksum
    BAD_EXPORT = "bad_export"  # an export's content is not valid

    # Widgets
    NO_FILE = "no_file"  # no file was chosen
    NO_FOLDER = "no_folder"  # no folder was given
