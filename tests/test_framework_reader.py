"""The framework reader: every problem of a framework document, with its place."""

from pathlib import Path

import pytest
import yaml

from workbook.errors import FrameworkError
from workbook.framework_reader import framework_from_dict

CRC = Path(__file__).resolve().parents[1] / "workbook" / "frameworks" / "hmip-2018-crc.yaml"


def _doc():
    return yaml.safe_load(CRC.read_text(encoding="utf-8"))


def test_loader_reports_every_problem_with_its_place():
    doc = _doc()
    d2 = doc["domains"][1]
    d2["standards"][0]["key_questions"][2]["id"] = "2.1.2"  # duplicate
    d2["standards"][1]["key_questions"][0]["id"] = "2.3.9"  # wrong prefix
    d2["standards"][2]["key_questions"][1]["sample"] = "court"  # unknown sample
    d2["standards"][3]["key_questions"][1]["text"] = ""  # missing text
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(doc, source="bad.yaml")
    err = info.value
    assert sorted(err.codes) == ["duplicate_id", "id_prefix", "missing_text", "unknown_sample"]
    text = str(err)
    assert "bad.yaml, domains[1].standards[0].key_questions[2].id: '2.1.2' is used twice" in text
    assert (
        "domains[1].standards[1].key_questions[0].id: '2.3.9' does not start with its standard's id '2.2.'"
        in text
    )
    assert (
        "domains[1].standards[2].key_questions[1].sample: 'court' is not a sample of this framework. Allowed: case_supervision, unpaid_work, through_the_gate."
        in text
    )
    assert "domains[1].standards[3].key_questions[1].text: 'text' is missing or empty." in text


def test_loader_rejects_bad_thresholds_and_bands():
    doc = _doc()
    doc["key_question_bands"]["thresholds"][1]["min_pct"] = 90
    doc["overall"]["bands"][2]["rating"] = "Excellent"
    doc["key_question_bands"]["rounding"] = "banker"
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(doc, source="bad.yaml")
    assert {"bad_threshold", "unknown_rating", "bad_rounding"} <= set(info.value.codes)


def test_bands_must_follow_the_ratings_order():
    doc = _doc()
    t = doc["key_question_bands"]["thresholds"]
    t[0]["rating"], t[1]["rating"] = "Good", "Outstanding"  # Good at 80, Outstanding at 65
    doc["overall"]["bands"][3]["rating"] = "Good"  # Good twice, no Outstanding
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(doc, source="swapped.yaml")
    text = str(info.value)
    assert (
        "key_question_bands.thresholds: the thresholds name Good, Outstanding, Requires improvement, Inadequate"
        in text
    )
    assert (
        "overall.bands: the overall bands name Inadequate, Requires improvement, Good, Good" in text
    )


def _problems(doc):
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(doc, source="bad.yaml")
    return [(p.code, p.place, p.message) for p in info.value.problems]


def test_the_builtin_document_reads_without_problems():
    fw = framework_from_dict(_doc(), source="hmip-2018-crc.yaml")
    assert fw.id == "hmip-2018-crc"
    assert fw.source == "hmip-2018-crc.yaml"
    assert [b.rating for b in fw.overall_bands][0] == "Inadequate"


def test_a_document_that_is_not_a_mapping():
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(["id"], source="bad.yaml")
    assert str(info.value) == (
        "bad.yaml: the document is not a mapping of fields (id, name, domains, ...)."
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(name=["a"]),
            ("not_text", "framework.name", "'name' must be text, not list."),
        ),
        (
            lambda d: d.update(ratings="Good"),
            (
                "bad_ratings",
                "ratings",
                "ratings must be a list of at least two names, best first.",
            ),
        ),
        (
            lambda d: d["overall"]["points"].update(Good=1.5),
            (
                "bad_points",
                "overall.points.Good",
                "the points for 'Good' must be a whole number.",
            ),
        ),
        (
            lambda d: d["overall"]["points"].update(Excellent=4),
            (
                "unknown_rating",
                "overall.points.Excellent",
                "'Excellent' is not a rating.",
            ),
        ),
        (
            lambda d: d["overall"]["bands"][0].update(above=3),
            (
                "bad_band",
                "overall.bands[0].above",
                "the first band has 'above: null'; every later band a number of points per standard.",
            ),
        ),
        (
            lambda d: d.pop("samples"),
            ("missing_samples", "samples", "the case samples this framework uses are missing."),
        ),
        (
            lambda d: d["domains"][1]["standards"][0].update(counts_in_overall="yes"),
            ("not_boolean", "domains[1].standards[0].counts_in_overall", "must be true or false."),
        ),
        (
            lambda d: d["domains"][1]["standards"][0].update(rated_from="votes"),
            (
                "bad_rated_from",
                "domains[1].standards[0].rated_from",
                "'votes' is not a way of rating a standard.",
            ),
        ),
        (
            lambda d: d["domains"][1]["standards"].__setitem__(0, "2.1"),
            (
                "not_a_mapping",
                "domains[1].standards[0]",
                "a standard must be a mapping with id, name and key_questions.",
            ),
        ),
        (
            lambda d: d["domains"][1]["standards"][0]["key_questions"][0].update(prompts="ask"),
            (
                "bad_prompts",
                "domains[1].standards[0].key_questions[0].prompts",
                "prompts must be a list of texts.",
            ),
        ),
        (
            lambda d: d["domains"][0]["standards"][0]["key_questions"][0].update(
                sample="case_supervision"
            ),
            (
                "judged_with_sample",
                "domains[0].standards[0].key_questions[0].sample",
                "a judged standard's key questions are not answered on a case sample; remove 'sample'.",
            ),
        ),
        (
            lambda d: d["domains"][1]["standards"][0]["key_questions"][0].update(id="2.1.x"),
            (
                "bad_id",
                "domains[1].standards[0].key_questions[0].id",
                "'2.1.x' is not an id of dotted numbers such as '2.1.3'.",
            ),
        ),
        (
            lambda d: d["domains"][1].update(standards=[]),
            ("missing_standards", "domains[1].standards", "the domain has no standards."),
        ),
    ],
)
def test_each_section_reports_its_problem_with_its_place(change, expected):
    doc = _doc()
    change(doc)
    assert expected in _problems(doc)
