"""The team's commands (``team``, ``allocate``, ``second-rater``, ``status``, ``sign-off``,
``qa-assure``, ``lock``, ``reopen``, ``probe``, ``judge --reason``) on a real store: each
command's happy path, and each refusal exits 2 with its rule named (in words and as
``[rule: code]``). The rules themselves are the store's; these tests check the command line
carries them through, on real SQLite and real PostgreSQL where the rule matters."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbook.cli import main
from workbook.store import open_store

from ..store.sample import CASES, NAME

KQS = [
    "2.1.1",
    "2.1.2",
    "2.1.3",
    "2.2.1",
    "2.2.2",
    "2.2.3",
    "2.3.1",
    "2.3.2",
    "2.3.3",
    "2.4.1",
    "2.4.2",
    "2.4.3",
]
LEAD, INSPECTOR, OTHER, QUALITY = "lead-1", "inspector-1", "inspector-2", "quality-1"


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run ``python -m workbook ARGV`` in this process: (exit status, stdout, stderr)."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(capsys, rule: str, *argv) -> str:
    """Run a command that must be refused by ``rule``: exit 2, the rule named; its message."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert f"[rule: {rule}]" in err, err
    assert "Traceback" not in err
    return err


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A real SQLite store holding the shared inspection and its four cases."""
    url = f"sqlite:///{tmp_path / 'team.db'}"
    with open_store(url) as s:
        s.create_inspection(NAME, "hmip-2018-crc", cases=CASES)
    return url


def make_team(capsys, url: str) -> None:
    """A lead inspector, two inspectors and a quality lead, added by the command line."""
    assert (
        run(
            capsys,
            "team",
            "add",
            NAME,
            LEAD,
            "--role",
            "lead inspector",
            "--inspector",
            LEAD,
            "--db",
            url,
        )[0]
        == 0
    )
    for person, role in ((INSPECTOR, "inspector"), (OTHER, "inspector"), (QUALITY, "quality lead")):
        assert (
            run(
                capsys,
                "team",
                "add",
                NAME,
                person,
                "--role",
                role,
                "--inspector",
                LEAD,
                "--db",
                url,
            )[0]
            == 0
        )


def answer_all(url: str, case_id: str, person: str, answer: str = "yes") -> None:
    with open_store(url) as s:
        for kq in KQS:
            s.save_judgement(NAME, case_id, kq, answer, person)


# -- the team ------------------------------------------------------------------------------------


def test_team_add_list_role_remove(store, store_url, capsys):
    code, out, _ = run(
        capsys,
        "team",
        "add",
        NAME,
        LEAD,
        "--role",
        "Lead Inspector",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    assert code == 0 and f"{LEAD} added" in out and "lead inspector" in out
    assert (
        run(
            capsys,
            "team",
            "add",
            NAME,
            INSPECTOR,
            "--role",
            "local-assessor",
            "--inspector",
            LEAD,
            "--db",
            store_url,
        )[0]
        == 0
    )
    code, out, _ = run(capsys, "team", "list", NAME, "--db", store_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "person | role | added by | added at (UTC)"
    assert lines[1].startswith(f"{LEAD} | lead inspector | {LEAD} | ")
    assert lines[2].startswith(f"{INSPECTOR} | local assessor | {LEAD} | ")
    assert lines[-1] == "2 members"
    code, out, _ = run(
        capsys, "team", "role", NAME, INSPECTOR, "inspector", "--inspector", LEAD, "--db", store_url
    )
    assert code == 0 and f"{INSPECTOR} is now inspector" in out
    code, out, _ = run(capsys, "team", "list", NAME, "--format", "json", "--db", store_url)
    rows = json.loads(out)
    assert [(r["person"], r["role"], r["added_by"]) for r in rows] == [
        (LEAD, "lead_inspector", LEAD),
        (INSPECTOR, "inspector", LEAD),
    ]
    assert all(set(r) == {"person", "role", "added_by", "added_at"} for r in rows)
    code, out, _ = run(
        capsys, "team", "remove", NAME, INSPECTOR, "--inspector", LEAD, "--db", store_url
    )
    assert code == 0 and "removed" in out
    assert [m.person for m in store.team(NAME)] == [LEAD]


def test_team_refusals_name_their_rule(store, store_url, capsys):
    code, out, _ = run(capsys, "team", "list", NAME, "--db", store_url)
    assert code == 0 and "0 members: the inspection has no team" in out
    err = refused(
        capsys,
        "first_member_lead",
        "team",
        "add",
        NAME,
        INSPECTOR,
        "--role",
        "inspector",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert "lead inspector" in err
    refused(
        capsys,
        "unknown_role",
        "team",
        "add",
        NAME,
        LEAD,
        "--role",
        "boss",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    assert (
        run(
            capsys,
            "team",
            "add",
            NAME,
            LEAD,
            "--role",
            "lead inspector",
            "--inspector",
            LEAD,
            "--db",
            store_url,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "team",
            "add",
            NAME,
            INSPECTOR,
            "--role",
            "inspector",
            "--inspector",
            LEAD,
            "--db",
            store_url,
        )[0]
        == 0
    )
    err = refused(
        capsys,
        "role_not_allowed",
        "team",
        "add",
        NAME,
        OTHER,
        "--role",
        "inspector",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert "lead inspector" in err and INSPECTOR in err
    refused(
        capsys,
        "member_exists",
        "team",
        "add",
        NAME,
        INSPECTOR,
        "--role",
        "inspector",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    refused(
        capsys, "last_lead", "team", "remove", NAME, LEAD, "--inspector", LEAD, "--db", store_url
    )
    refused(
        capsys,
        "last_lead",
        "team",
        "role",
        NAME,
        LEAD,
        "inspector",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    refused(
        capsys,
        "not_a_member",
        "team",
        "add",
        NAME,
        OTHER,
        "--role",
        "inspector",
        "--inspector",
        "stranger",
        "--db",
        store_url,
    )
    assert [m.person for m in store.team(NAME)] == [LEAD, INSPECTOR]


def test_who_defaults_to_the_settings_inspector(sqlite_url, monkeypatch, capsys):
    monkeypatch.delenv("WORKBOOK_INSPECTOR", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", LEAD)
    assert (
        run(capsys, "team", "add", NAME, LEAD, "--role", "lead inspector", "--db", sqlite_url)[0]
        == 0
    )
    monkeypatch.setenv("WORKBOOK_INSPECTOR", INSPECTOR)  # WORKBOOK_INSPECTOR comes first
    refused(
        capsys,
        "not_a_member",
        "team",
        "add",
        NAME,
        OTHER,
        "--role",
        "inspector",
        "--db",
        sqlite_url,
    )
    with open_store(sqlite_url) as s:
        assert [(m.person, m.added_by) for m in s.team(NAME)] == [(LEAD, LEAD)]


# -- allocation and status -----------------------------------------------------------------------


def test_allocate_by_hand_then_evenly_and_status_json(store, store_url, capsys):
    make_team(capsys, store_url)
    code, out, _ = run(
        capsys, "allocate", NAME, "C001", INSPECTOR, "--inspector", LEAD, "--db", store_url
    )
    assert code == 0 and out.strip() == f"case C001 allocated to {INSPECTOR}"
    err = refused(
        capsys,
        "role_not_allowed",
        "allocate",
        NAME,
        "C002",
        INSPECTOR,
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert "allocate" in err
    code, out, _ = run(
        capsys,
        "allocate",
        NAME,
        "--even",
        "--seed",
        "7",
        "--people",
        f"{INSPECTOR},{OTHER}",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    assert code == 0 and out.splitlines()[-1] == "3 cases allocated"
    code, out, _ = run(capsys, "status", NAME, "--format", "json", "--db", store_url)
    status = json.loads(out)
    assert set(status) == {"cases", "summary"}
    assert [c["case_id"] for c in sorted(status["cases"], key=lambda c: c["case_id"])] == list(
        CASES["case_id"]
    )
    assert {c["allocated_to"] for c in status["cases"]} == {INSPECTOR, OTHER}
    assert next(c for c in status["cases"] if c["case_id"] == "C001")["allocated_to"] == INSPECTOR
    assert set(status["cases"][0]) == {
        "case_id",
        "status",
        "allocated_to",
        "allocated_role",
        "second_rater",
        "answered",
        "applicable",
        "open_queries",
        "probe",
        "probe_note",
        "dip_sample",
        "status_by",
        "status_at",
    }
    assert all(c["applicable"] == 12 and c["answered"] == 0 for c in status["cases"])
    assert status["summary"] == {
        "not_started": 4,
        "in_progress": 0,
        "complete": 0,
        "quality_assured": 0,
        "locked": 0,
    }
    # a reallocation by the lead is recorded
    assert (
        run(capsys, "allocate", NAME, "C001", OTHER, "--inspector", LEAD, "--db", store_url)[0] == 0
    )
    assert any(
        e.entity == "allocation" and e.new == OTHER for e in store.history(NAME, case_id="C001")
    )


@pytest.mark.parametrize(
    "argv, words",
    [
        (["allocate", NAME, "--inspector", LEAD], "give CASE and PERSON"),
        (["allocate", NAME, "C001", "--inspector", LEAD], "give CASE and PERSON"),
        (["allocate", NAME, "--even", "--inspector", LEAD], "--even needs --seed"),
        (["allocate", NAME, "C001", INSPECTOR, "--even", "--seed", "1"], "not both"),
        (["allocate", NAME, "C001", INSPECTOR, "--seed", "1"], "with --even only"),
        (["probe", NAME, "C001", "--off", "--note", "x"], "takes no --note"),
    ],
)
def test_arguments_that_do_not_go_together_exit_2(sqlite_url, capsys, argv, words):
    err = refused(capsys, "bad_arguments", *argv, "--db", sqlite_url)
    assert words in err


def test_status_table_names_each_case_and_counts(sqlite_url, capsys):
    make_team(capsys, sqlite_url)
    assert (
        run(capsys, "allocate", NAME, "C001", INSPECTOR, "--inspector", LEAD, "--db", sqlite_url)[0]
        == 0
    )
    assert (
        run(
            capsys,
            "judge",
            NAME,
            "C001",
            "2.1.1",
            "yes",
            "--inspector",
            INSPECTOR,
            "--db",
            sqlite_url,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "probe",
            NAME,
            "C001",
            "--note",
            "check the risk assessment",
            "--inspector",
            INSPECTOR,
            "--db",
            sqlite_url,
        )[0]
        == 0
    )
    code, out, _ = run(capsys, "status", NAME, "--db", sqlite_url)
    lines = out.splitlines()
    assert code == 0
    assert (
        lines[0] == "case | status | allocated to | second rater | answered | open queries | probe"
    )
    assert (
        lines[1]
        == f"C001 | in progress | {INSPECTOR} |  | 1/12 | 0 | probe: check the risk assessment"
    )
    assert lines[2] == "C002 | not started | not allocated |  | 0/12 | 0 | "
    assert (
        lines[-1]
        == "4 cases: 3 not started, 1 in progress, 0 complete, 0 quality assured, 0 locked"
    )
    code, out, _ = run(
        capsys, "status", NAME, "--case", "C001", "--format", "json", "--db", sqlite_url
    )
    one = json.loads(out)
    assert [c["case_id"] for c in one["cases"]] == ["C001"]
    assert one["cases"][0]["probe"] is True and one["summary"]["in_progress"] == 1
    refused(capsys, "unknown_case", "status", NAME, "--case", "C999", "--db", sqlite_url)


# -- sign-off, quality assurance, lock and reopen ------------------------------------------------


def test_sign_off_qa_lock_reopen_and_the_reasons(store, store_url, capsys):
    make_team(capsys, store_url)
    assert (
        run(capsys, "allocate", NAME, "C001", INSPECTOR, "--inspector", LEAD, "--db", store_url)[0]
        == 0
    )
    # an inspector writes only their own cases; a quality lead writes no answers
    err = refused(
        capsys,
        "not_allocated",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "yes",
        "--inspector",
        OTHER,
        "--db",
        store_url,
    )
    assert INSPECTOR in err
    refused(
        capsys,
        "role_not_allowed",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "yes",
        "--inspector",
        QUALITY,
        "--db",
        store_url,
    )
    assert (
        run(
            capsys,
            "judge",
            NAME,
            "C001",
            "2.1.1",
            "yes",
            "--inspector",
            INSPECTOR,
            "--db",
            store_url,
        )[0]
        == 0
    )
    err = refused(
        capsys,
        "case_not_complete",
        "sign-off",
        NAME,
        "C001",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert "2.4.3" in err
    answer_all(store_url, "C001", INSPECTOR)
    code, out, _ = run(
        capsys, "sign-off", NAME, "C001", "--inspector", INSPECTOR, "--db", store_url
    )
    assert code == 0 and out.strip() == "case C001 signed off: now complete"
    # a change on a complete case asks for a reason, kept in the history
    refused(
        capsys,
        "reason_required",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "no",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    code, out, _ = run(
        capsys,
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "no",
        "--reason",
        "missed the risk review",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert code == 0
    assert store.history(NAME, case_id="C001")[-1].reason == "missed the risk review"
    refused(
        capsys,
        "role_not_allowed",
        "qa-assure",
        NAME,
        "C001",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    code, out, _ = run(capsys, "qa-assure", NAME, "C001", "--inspector", QUALITY, "--db", store_url)
    assert code == 0 and out.strip() == "case C001 quality assured: now quality assured"
    refused(
        capsys,
        "role_not_allowed",
        "lock",
        NAME,
        "C001",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    code, out, _ = run(capsys, "lock", NAME, "C001", "--inspector", LEAD, "--db", store_url)
    assert code == 0 and out.strip() == "case C001 locked: now locked"
    assert store.locked_cases(NAME) == ["C001"]
    err = refused(
        capsys,
        "case_locked",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "yes",
        "--reason",
        "x",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert "reopen" in err
    refused(
        capsys, "reason_required", "reopen", NAME, "C001", "--inspector", LEAD, "--db", store_url
    )
    code, out, _ = run(
        capsys,
        "reopen",
        NAME,
        "C001",
        "--reason",
        "second look at 2.1.1",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    assert code == 0 and out.strip() == "case C001 reopened: now quality assured"
    reopened = [e for e in store.history(NAME, case_id="C001") if e.entity == "status"][-1]
    assert reopened.reason == "second look at 2.1.1"


def test_a_case_not_yet_complete_cannot_be_quality_assured_or_locked(sqlite_url, capsys):
    make_team(capsys, sqlite_url)
    refused(
        capsys,
        "bad_status_change",
        "qa-assure",
        NAME,
        "C002",
        "--inspector",
        QUALITY,
        "--db",
        sqlite_url,
    )
    refused(
        capsys, "bad_status_change", "lock", NAME, "C002", "--inspector", LEAD, "--db", sqlite_url
    )
    refused(
        capsys,
        "bad_status_change",
        "reopen",
        NAME,
        "C002",
        "--reason",
        "x",
        "--inspector",
        LEAD,
        "--db",
        sqlite_url,
    )


def test_probe_flag_on_and_off(sqlite_url, capsys):
    make_team(capsys, sqlite_url)
    assert (
        run(capsys, "allocate", NAME, "C003", INSPECTOR, "--inspector", LEAD, "--db", sqlite_url)[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "probe",
        NAME,
        "C003",
        "--note",
        "ask about the MAPPA meeting",
        "--inspector",
        INSPECTOR,
        "--db",
        sqlite_url,
    )
    assert (
        code == 0
        and out.strip() == "case C003 flagged 'probe further': ask about the MAPPA meeting"
    )
    refused(
        capsys,
        "not_allocated",
        "probe",
        NAME,
        "C003",
        "--note",
        "x",
        "--inspector",
        OTHER,
        "--db",
        sqlite_url,
    )
    code, out, _ = run(
        capsys, "probe", NAME, "C003", "--off", "--inspector", LEAD, "--db", sqlite_url
    )
    assert code == 0 and "flag cleared" in out
    with open_store(sqlite_url) as s:
        assert s.case_status(NAME, "C003").probe is False


def test_second_rater_assignment(store, store_url, capsys):
    make_team(capsys, store_url)
    assert (
        run(capsys, "allocate", NAME, "C001", INSPECTOR, "--inspector", LEAD, "--db", store_url)[0]
        == 0
    )
    refused(
        capsys,
        "second_rater_is_first",
        "second-rater",
        NAME,
        "C001",
        INSPECTOR,
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    refused(
        capsys,
        "role_not_allowed",
        "second-rater",
        NAME,
        "C001",
        OTHER,
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    code, out, _ = run(
        capsys, "second-rater", NAME, "C001", OTHER, "--inspector", LEAD, "--db", store_url
    )
    assert code == 0 and out.strip() == f"case C001: second rater {OTHER}"
    assert store.case_status(NAME, "C001").second_rater == OTHER


def test_a_refusal_as_a_process_exits_2_without_a_traceback(sqlite_url, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbook",
            "team",
            "add",
            NAME,
            INSPECTOR,
            "--role",
            "inspector",
            "--inspector",
            INSPECTOR,
            "--db",
            sqlite_url,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "[rule: first_member_lead]" in done.stderr and "Traceback" not in done.stderr
