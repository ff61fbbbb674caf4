"""The review's commands (``qa draw|list``, ``query open|reply|resolve|list``, ``judge
--second``, ``agreement``, ``adjudicate``) on a real store, and the README's walkthrough end to
end: a lead, inspectors, an even allocation, answers, sign-off, a dip sample, a query opened,
replied and resolved, a blind second rating, the agreement and an adjudication."""

from __future__ import annotations

import json

from workbook.store import open_store

from ..store.sample import NAME
from .test_team import (
    INSPECTOR,
    KQS,
    LEAD,
    OTHER,
    QUALITY,
    answer_all,
    make_team,
    refused,
    run,
    sqlite_url,  # noqa: F401 - a fixture
)

FIGURES = {"n", "agree", "percent", "kappa", "ac1", "kappa_ci95", "ac1_ci95"}


def signed_off(capsys, url: str, cases: dict[str, str]) -> None:
    """Each case allocated to its inspector, answered Yes throughout and signed off."""
    for case_id, person in cases.items():
        assert (
            run(capsys, "allocate", NAME, case_id, person, "--inspector", LEAD, "--db", url)[0] == 0
        )
        answer_all(url, case_id, person)
        assert run(capsys, "sign-off", NAME, case_id, "--inspector", person, "--db", url)[0] == 0


# -- the dip sample ------------------------------------------------------------------------------


def test_qa_draw_takes_its_size_from_the_settings_and_lists(sqlite_url, monkeypatch, capsys):  # noqa: F811
    make_team(capsys, sqlite_url)
    signed_off(capsys, sqlite_url, {"C001": INSPECTOR, "C002": OTHER, "C003": INSPECTOR})
    refused(
        capsys,
        "role_not_allowed",
        "qa",
        "draw",
        NAME,
        "--seed",
        "1",
        "--inspector",
        INSPECTOR,
        "--db",
        sqlite_url,
    )
    monkeypatch.setenv("WORKBOOK_QA_SIZE", "2")
    monkeypatch.setenv("WORKBOOK_QA_PER_INSPECTOR", "1")
    code, out, _ = run(
        capsys, "qa", "draw", NAME, "--seed", "1", "--inspector", QUALITY, "--db", sqlite_url
    )
    assert code == 0 and out.startswith("2 cases drawn: ")
    with open_store(sqlite_url) as s:
        drawn = s.dip_sample(NAME)
        owners = {s.case_status(NAME, c).allocated_to for c in drawn}
    assert len(drawn) == 2 and owners == {INSPECTOR, OTHER}  # at least one of each inspector's
    code, out, _ = run(capsys, "qa", "list", NAME, "--format", "json", "--db", sqlite_url)
    rows = json.loads(out)
    assert sorted(r["case_id"] for r in rows) == sorted(drawn)
    assert all(r["status"] == "complete" for r in rows)
    code, out, _ = run(capsys, "qa", "list", NAME, "--db", sqlite_url)
    assert out.splitlines()[0] == "case | allocated to | status | open queries"
    assert out.splitlines()[-1] == "2 cases in the dip sample"
    # the rest: the one complete case not drawn yet (--size wins over the setting)
    code, out, _ = run(
        capsys,
        "qa",
        "draw",
        NAME,
        "--seed",
        "1",
        "--size",
        "5",
        "--inspector",
        QUALITY,
        "--db",
        sqlite_url,
    )
    assert code == 0 and out.startswith("1 case drawn: ")
    code, out, _ = run(
        capsys, "qa", "draw", NAME, "--seed", "1", "--inspector", QUALITY, "--db", sqlite_url
    )
    assert code == 0 and out.startswith("0 cases drawn: every complete case is in the dip sample")


# -- queries -------------------------------------------------------------------------------------


def test_query_open_reply_resolve_list(store, store_url, capsys):
    make_team(capsys, store_url)
    signed_off(capsys, store_url, {"C001": INSPECTOR})
    refused(
        capsys,
        "role_not_allowed",
        "query",
        "open",
        NAME,
        "C001",
        "--text",
        "why?",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    refused(
        capsys,
        "missing_text",
        "query",
        "open",
        NAME,
        "C001",
        "--text",
        "  ",
        "--inspector",
        QUALITY,
        "--db",
        store_url,
    )
    code, out, _ = run(
        capsys,
        "query",
        "open",
        NAME,
        "C001",
        "--question",
        "2.1.3",
        "--text",
        "Is the risk to the partner covered?",
        "--inspector",
        QUALITY,
        "--db",
        store_url,
    )
    assert code == 0 and out.startswith("query ") and "on case C001 2.1.3" in out
    number = out.split()[1]
    # an open query stops quality assurance
    refused(
        capsys,
        "bad_status_change",
        "qa-assure",
        NAME,
        "C001",
        "--inspector",
        QUALITY,
        "--db",
        store_url,
    )
    refused(
        capsys,
        "not_allocated",
        "query",
        "reply",
        NAME,
        number,
        "--text",
        "x",
        "--inspector",
        OTHER,
        "--db",
        store_url,
    )
    code, out, _ = run(
        capsys,
        "query",
        "reply",
        NAME,
        number,
        "--text",
        "Yes: see the contact of 4 March.",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    assert code == 0 and out.strip() == f"query {number} on case C001 2.1.3: answered"
    refused(
        capsys,
        "query_state",
        "query",
        "reply",
        NAME,
        number,
        "--text",
        "again",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    code, out, _ = run(
        capsys, "query", "list", NAME, "--state", "answered", "--format", "json", "--db", store_url
    )
    [row] = json.loads(out)
    assert row["id"] == int(number) and row["state"] == "answered" and row["question"] == "2.1.3"
    assert row["opened_by"] == QUALITY and row["replied_by"] == INSPECTOR
    code, out, _ = run(
        capsys,
        "query",
        "resolve",
        NAME,
        number,
        "--text",
        "Agreed.",
        "--inspector",
        QUALITY,
        "--db",
        store_url,
    )
    assert code == 0 and out.strip() == f"query {number} on case C001 2.1.3: resolved"
    refused(
        capsys,
        "query_state",
        "query",
        "resolve",
        NAME,
        number,
        "--inspector",
        QUALITY,
        "--db",
        store_url,
    )
    code, out, _ = run(capsys, "query", "list", NAME, "--db", store_url)
    lines = out.splitlines()
    assert lines[0] == "id | case | key question | state | opened by | query | reply | resolution"
    assert lines[1] == (
        f"{number} | C001 | 2.1.3 | resolved | {QUALITY} | Is the risk to the partner covered? | "
        "Yes: see the contact of 4 March. | Agreed."
    )
    assert lines[-1] == "1 query"
    code, out, _ = run(capsys, "query", "list", NAME, "--state", "open", "--db", store_url)
    assert out.splitlines()[-1] == "0 queries"
    assert run(capsys, "qa-assure", NAME, "C001", "--inspector", QUALITY, "--db", store_url)[0] == 0


def test_query_counts_per_inspector_and_standard(store, store_url, capsys):
    make_team(capsys, store_url)
    assessor = "assessor-1"
    add = ("team", "add", NAME, assessor, "--role", "local assessor", "--inspector", LEAD)
    assert run(capsys, *add, "--db", store_url)[0] == 0
    counts = ("query", "counts", NAME, "--db", store_url)
    code, out, _ = run(capsys, *counts)
    assert code == 0 and out.startswith("0 queries: none has been opened")
    code, out, _ = run(capsys, *counts, "--format", "json")
    assert code == 0 and json.loads(out) == []
    for case_id, person in (("C001", INSPECTOR), ("C002", OTHER), ("C003", assessor)):
        allocate = ("allocate", NAME, case_id, person, "--inspector", LEAD, "--db", store_url)
        assert run(capsys, *allocate)[0] == 0

    def query(case_id, *extra) -> str:
        argv = ("query", "open", NAME, case_id, "--text", "Why?", *extra)
        code, out, _ = run(capsys, *argv, "--inspector", QUALITY, "--db", store_url)
        assert code == 0, out
        return out.split()[1]

    def step(action, number, by, *extra):
        argv = ("query", action, NAME, number, *extra, "--inspector", by, "--db", store_url)
        assert run(capsys, *argv)[0] == 0

    first = query("C001", "--question", "2.1.1")
    query("C001", "--question", "2.1.3")
    step("reply", first, INSPECTOR, "--text", "See the plan.")
    step("resolve", first, QUALITY)
    step("reply", query("C002", "--question", "2.2.1"), OTHER, "--text", "Weekly.")
    query("C003")
    query("C004")  # a case nobody has
    code, out, _ = run(capsys, *counts, "--format", "json")
    assert code == 0 and json.loads(out) == [
        {"inspector": assessor, "standard": None, "open": 1, "answered": 0, "resolved": 0},
        {"inspector": INSPECTOR, "standard": "2.1", "open": 1, "answered": 0, "resolved": 1},
        {"inspector": OTHER, "standard": "2.2", "open": 0, "answered": 1, "resolved": 0},
        {"inspector": None, "standard": None, "open": 1, "answered": 0, "resolved": 0},
    ]
    code, out, _ = run(capsys, *counts)
    assert code == 0 and out.splitlines() == [
        "inspector | standard | open | answered | resolved",
        f"{assessor} (local assessor) | (whole case) | 1 | 0 | 0",
        f"{INSPECTOR} | 2.1 | 1 | 0 | 1",
        f"{OTHER} | 2.2 | 0 | 1 | 0",
        "(not allocated) | (whole case) | 1 | 0 | 0",
        "5 queries: 3 open, 1 answered, 1 resolved",
    ]


def test_query_counts_of_an_unknown_inspection_exits_2_and_writes_nothing(sqlite_url, capsys):  # noqa: F811
    before = open_store(sqlite_url)
    try:
        history = before.history(NAME)
    finally:
        before.close()
    refused(capsys, "unknown_inspection", "query", "counts", "nowhere", "--db", sqlite_url)
    with open_store(sqlite_url) as after:
        assert after.history(NAME) == history


def test_a_query_number_that_is_not_one_exits_2(sqlite_url, capsys):  # noqa: F811
    make_team(capsys, sqlite_url)
    err = refused(
        capsys,
        "unknown_query",
        "query",
        "reply",
        NAME,
        "first",
        "--text",
        "x",
        "--inspector",
        INSPECTOR,
        "--db",
        sqlite_url,
    )
    assert "'first'" in err
    refused(
        capsys,
        "unknown_query",
        "query",
        "resolve",
        NAME,
        "999",
        "--inspector",
        QUALITY,
        "--db",
        sqlite_url,
    )


def test_an_answer_changed_with_a_reason_answers_the_open_query(sqlite_url, capsys):  # noqa: F811
    make_team(capsys, sqlite_url)
    signed_off(capsys, sqlite_url, {"C001": INSPECTOR})
    code, out, _ = run(
        capsys,
        "query",
        "open",
        NAME,
        "C001",
        "--question",
        "2.2.1",
        "--text",
        "Was the plan shared?",
        "--inspector",
        QUALITY,
        "--db",
        sqlite_url,
    )
    number = int(out.split()[1])
    assert (
        run(
            capsys,
            "judge",
            NAME,
            "C001",
            "2.2.1",
            "no",
            "--reason",
            "the plan was not shared",
            "--inspector",
            INSPECTOR,
            "--db",
            sqlite_url,
        )[0]
        == 0
    )
    code, out, _ = run(capsys, "query", "list", NAME, "--format", "json", "--db", sqlite_url)
    [row] = json.loads(out)
    assert row["id"] == number and row["state"] == "answered"
    assert row["reply"] == "Answer changed from Yes to No: the plan was not shared"


# -- second ratings, agreement and adjudication --------------------------------------------------


def test_judge_second_is_blind_and_only_by_the_second_rater(store, store_url, capsys):
    make_team(capsys, store_url)
    signed_off(capsys, store_url, {"C001": INSPECTOR})
    refused(
        capsys,
        "not_second_rater",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "no",
        "--second",
        "--inspector",
        OTHER,
        "--db",
        store_url,
    )
    assert (
        run(capsys, "second-rater", NAME, "C001", OTHER, "--inspector", LEAD, "--db", store_url)[0]
        == 0
    )
    refused(
        capsys,
        "not_second_rater",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "no",
        "--second",
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
        "--second",
        "--inspector",
        OTHER,
        "--db",
        store_url,
    )
    assert code == 0 and out.strip() == "1"
    # a second rating never enters the ratings: the first answer stands
    assert store.case_judgements(NAME, "C001")["2.1.1"].answer == "yes"
    assert store.second_judgements(NAME, "C001", OTHER)[("C001", "2.1.1")].answer == "no"
    code, _, err = run(
        capsys,
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "yes",
        "--second",
        "--expect-version",
        "0",
        "--inspector",
        OTHER,
        "--db",
        store_url,
    )
    assert code == 3 and "conflict" in err
    refused(
        capsys,
        "bad_arguments",
        "judge",
        NAME,
        "C001",
        "2.1.1",
        "yes",
        "--second",
        "--reason",
        "x",
        "--inspector",
        OTHER,
        "--db",
        store_url,
    )


def test_agreement_json_shape_and_table(sqlite_url, capsys):  # noqa: F811
    make_team(capsys, sqlite_url)
    signed_off(capsys, sqlite_url, {"C001": INSPECTOR})
    assert (
        run(capsys, "second-rater", NAME, "C001", OTHER, "--inspector", LEAD, "--db", sqlite_url)[0]
        == 0
    )
    for kq in KQS:
        answer = "no" if kq in ("2.1.1", "2.3.2") else "yes"
        assert (
            run(
                capsys,
                "judge",
                NAME,
                "C001",
                kq,
                answer,
                "--second",
                "--inspector",
                OTHER,
                "--db",
                sqlite_url,
            )[0]
            == 0
        )
    code, out, _ = run(capsys, "agreement", NAME, "--format", "json", "--db", sqlite_url)
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"questions", "raters", "disagreements"}
    assert [q["question"] for q in result["questions"]] == KQS
    assert all(set(q) == {"question"} | FIGURES for q in result["questions"])
    q211 = result["questions"][0]
    assert (q211["n"], q211["agree"], q211["percent"]) == (1, 0, 0.0)
    [pair] = result["raters"]
    assert set(pair) == {"raters"} | FIGURES
    assert sorted(pair["raters"]) == [INSPECTOR, OTHER]
    assert (pair["n"], pair["agree"]) == (12, 10) and abs(pair["percent"] - 100 * 10 / 12) < 1e-9
    assert sorted(
        (d["case_id"], d["question"], d["first"], d["second"]) for d in result["disagreements"]
    ) == [
        ("C001", "2.1.1", "yes", "no"),
        ("C001", "2.3.2", "yes", "no"),
    ]
    code, out, _ = run(capsys, "agreement", NAME, "--db", sqlite_url)
    lines = out.splitlines()
    assert (
        lines[0] == "key question | n | agree | percent | kappa | kappa 95% CI | AC1 | AC1 95% CI"
    )
    assert lines[1].startswith("2.1.1 | 1 | 0 | 0.0 | ")
    assert f"{INSPECTOR} and {OTHER} | 12 | 10 | 83.3 | " in out
    assert lines[2].startswith("2.1.2 | 1 | 1 | 100.0 | n/a | n/a | 1.000 | n/a")
    assert any(line.startswith("n/a: the figure cannot be computed (kappa where") for line in lines)
    assert "2 disagreements" in lines
    assert f"- case C001 2.1.1: {INSPECTOR} yes, {OTHER} no" in lines


def test_agreement_without_second_ratings(sqlite_url, capsys):  # noqa: F811
    code, out, _ = run(capsys, "agreement", NAME, "--db", sqlite_url)
    assert code == 0 and out.startswith("no second ratings yet")
    code, out, _ = run(capsys, "agreement", NAME, "--format", "json", "--db", sqlite_url)
    assert json.loads(out) == {"questions": [], "raters": [], "disagreements": []}
    refused(capsys, "unknown_inspection", "agreement", "nobody-2019", "--db", sqlite_url)


def test_adjudicate_where_the_ratings_differ(store, store_url, capsys):
    make_team(capsys, store_url)
    signed_off(capsys, store_url, {"C001": INSPECTOR})
    assert (
        run(capsys, "second-rater", NAME, "C001", OTHER, "--inspector", LEAD, "--db", store_url)[0]
        == 0
    )
    assert (
        run(
            capsys,
            "judge",
            NAME,
            "C001",
            "2.1.1",
            "no",
            "--second",
            "--inspector",
            OTHER,
            "--db",
            store_url,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "judge",
            NAME,
            "C001",
            "2.1.2",
            "yes",
            "--second",
            "--inspector",
            OTHER,
            "--db",
            store_url,
        )[0]
        == 0
    )
    refused(
        capsys,
        "nothing_to_adjudicate",
        "adjudicate",
        NAME,
        "C001",
        "2.1.2",
        "yes",
        "--reason",
        "agree",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    refused(
        capsys,
        "nothing_to_adjudicate",
        "adjudicate",
        NAME,
        "C001",
        "2.1.3",
        "yes",
        "--reason",
        "no second",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    refused(
        capsys,
        "role_not_allowed",
        "adjudicate",
        NAME,
        "C001",
        "2.1.1",
        "no",
        "--reason",
        "x",
        "--inspector",
        INSPECTOR,
        "--db",
        store_url,
    )
    code, out, _ = run(
        capsys,
        "adjudicate",
        NAME,
        "C001",
        "2.1.1",
        "no",
        "--reason",
        "no engagement plan on file",
        "--inspector",
        LEAD,
        "--db",
        store_url,
    )
    assert code == 0 and out.startswith("case C001 2.1.1: final answer no (version ")
    assert store.case_judgements(NAME, "C001")["2.1.1"].answer == "no"
    [row] = store.adjudications(NAME).to_dict("records")
    assert (row["first"], row["second"]) == ("yes", "no")
    # the agreement still compares the original first answer with the second
    code, out, _ = run(capsys, "agreement", NAME, "--format", "json", "--db", store_url)
    assert json.loads(out)["questions"][0]["agree"] == 0


# -- the README's walkthrough --------------------------------------------------------------------


def test_the_walkthrough_end_to_end(store, store_url, capsys):
    """The README's command-line walkthrough, in order, on one real store."""
    db = ["--db", store_url]

    def ok(*argv) -> str:
        code, out, err = run(capsys, *argv, *db)
        assert code == 0, err
        return out

    ok("team", "add", NAME, LEAD, "--role", "lead inspector", "--inspector", LEAD)
    for person, role in (
        (INSPECTOR, "inspector"),
        (OTHER, "local assessor"),
        (QUALITY, "quality lead"),
    ):
        ok("team", "add", NAME, person, "--role", role, "--inspector", LEAD)
    assert (
        ok("allocate", NAME, "--even", "--seed", "2019", "--inspector", LEAD).splitlines()[-1]
        == "4 cases allocated"
    )
    cases = json.loads(ok("status", NAME, "--format", "json"))["cases"]
    owner = {c["case_id"]: c["allocated_to"] for c in cases}
    assert sorted(owner.values()) == [INSPECTOR, INSPECTOR, OTHER, OTHER]  # two each
    for case_id, person in owner.items():
        for kq in KQS:
            ok("judge", NAME, case_id, kq, "yes", "--inspector", person)
        ok("sign-off", NAME, case_id, "--inspector", person)
    summary = json.loads(ok("status", NAME, "--format", "json"))["summary"]
    assert summary["complete"] == 4
    drawn = ok(
        "qa",
        "draw",
        NAME,
        "--seed",
        "1",
        "--size",
        "2",
        "--per-inspector",
        "1",
        "--inspector",
        QUALITY,
    )
    sampled = drawn.split(": ", 1)[1].split(", ")
    assert len(sampled) == 2 and {owner[c.strip()] for c in sampled} == {INSPECTOR, OTHER}
    case = sampled[0].strip()
    opened = ok(
        "query",
        "open",
        NAME,
        case,
        "--question",
        "2.1.1",
        "--text",
        "Where is the engagement recorded?",
        "--inspector",
        QUALITY,
    )
    number = opened.split()[1]
    assert (
        json.loads(ok("status", NAME, "--case", case, "--format", "json"))["cases"][0][
            "open_queries"
        ]
        == 1
    )
    ok(
        "query",
        "reply",
        NAME,
        number,
        "--text",
        "In the induction notes.",
        "--inspector",
        owner[case],
    )
    ok("query", "resolve", NAME, number, "--text", "Found.", "--inspector", QUALITY)
    ok("qa-assure", NAME, case, "--inspector", QUALITY)
    second = OTHER if owner[case] == INSPECTOR else INSPECTOR
    ok("second-rater", NAME, case, second, "--inspector", LEAD)
    for kq in KQS:
        ok(
            "judge",
            NAME,
            case,
            kq,
            "no" if kq == "2.2.2" else "yes",
            "--second",
            "--inspector",
            second,
        )
    result = json.loads(ok("agreement", NAME, "--format", "json"))
    assert [(d["case_id"], d["question"]) for d in result["disagreements"]] == [(case, "2.2.2")]
    assert result["raters"][0]["n"] == 12 and result["raters"][0]["agree"] == 11
    ok(
        "adjudicate",
        NAME,
        case,
        "2.2.2",
        "no",
        "--reason",
        "the plan does not address desistance",
        "--inspector",
        LEAD,
    )
    assert store.case_judgements(NAME, case)["2.2.2"].answer == "no"
    ok("lock", NAME, case, "--inspector", LEAD)
    table = ok("status", NAME)
    # a local assessor is marked so in the table; the JSON gives each case's role
    for case_id, person in owner.items():
        shown = f"{OTHER} (local assessor)" if person == OTHER else INSPECTOR
        assert any(
            line.startswith(f"{case_id} | ") and f"| {shown} |" in line
            for line in table.splitlines()
        )
    assert {c["allocated_role"] for c in cases} == {"inspector", "local_assessor"}
    assert (
        table.splitlines()[-1]
        == "4 cases: 0 not started, 0 in progress, 3 complete, 0 quality assured, 1 locked"
    )
    entities = {e.entity for e in store.history(NAME)}
    assert {
        "member",
        "allocation",
        "status",
        "query",
        "dip_sample",
        "second_rater",
        "second",
        "adjudication",
    } <= entities
