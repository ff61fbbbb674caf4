"""Frameworks as data: the built-in frameworks, their wording, and the loader's errors."""

import re
from pathlib import Path

import pytest

from workbook.errors import FrameworkError
from workbook.files import list_frameworks, load_framework

ANNEX2 = Path(__file__).resolve().parent / "reference" / "annex2.md"  # excerpt of the seed report
CRC = Path(__file__).resolve().parents[1] / "workbook" / "frameworks" / "hmip-2018-crc.yaml"


def test_builtin_frameworks_load():
    crc, nps = load_framework("hmip-2018-crc"), load_framework("hmip-2018-nps")
    assert [s.label for s in crc.standards] == [
        "1.1 Leadership",
        "1.2 Staff",
        "1.3 Services",
        "1.4 Information and facilities",
        "2.1 Assessment",
        "2.2 Planning",
        "2.3 Implementation and delivery",
        "2.4 Reviewing",
        "4.1 Unpaid work",
        "4.2 Through the Gate",
    ]
    assert [s.id for s in nps.standards][-2:] == ["3.1", "3.2"]
    assert nps.standard("3.1").name == "Court reports and case allocation"
    assert nps.standard("3.2").name == "Statutory victim work"
    assert {q.sample for q in nps.rated_key_questions} == {
        "case_supervision",
        "court_reports",
        "victims",
    }
    assert [len(s.key_questions) for s in crc.standards[4:]] == [3, 3, 3, 3, 4, 3]
    assert all(s.rated_from == "judgement" for s in crc.standards[:4])
    assert set(list_frameworks()) >= {"hmip-2018-crc", "hmip-2018-nps"}


def test_wording_is_annex_2_verbatim():
    annex = ANNEX2.read_text(encoding="utf-8")
    crc = load_framework("hmip-2018-crc")
    for s in crc.standards[4:]:
        assert s.headline in annex, s.id
        for q in s.key_questions:
            assert f"{q.id}. {q.text}" in annex, q.id


def test_relevant_subsample_and_allowed_answers():
    crc = load_framework("hmip-2018-crc")
    sub = {q.id for q in crc.rated_key_questions if q.relevant_subsample}
    assert sub == {"2.2.3", "2.3.3", "2.4.3"}
    assert crc.key_question("2.1.3").allowed_answers == ("yes", "no")
    assert crc.key_question("2.4.3").allowed_answers == ("yes", "no", "not_applicable")
    assert [q.sample for q in crc.standard("4.2").key_questions] == ["through_the_gate"] * 3
    assert len(crc.key_question("2.2.3").prompts) == 4


def test_thresholds_and_points_are_data():
    crc = load_framework("hmip-2018-crc")
    assert [(t.rating, t.min_pct) for t in crc.thresholds] == [
        ("Outstanding", 80),
        ("Good", 65),
        ("Requires improvement", 50),
        ("Inadequate", 0),
    ]
    assert crc.rounding == "half_up"
    assert dict(crc.points) == {
        "Outstanding": 3,
        "Good": 2,
        "Requires improvement": 1,
        "Inadequate": 0,
    }


def test_prompts_keep_their_provenance_comment():
    text = CRC.read_text(encoding="utf-8")
    assert "Provenance" in text and "V-EPG" in text and "unverified" in text


def test_not_a_yaml_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert info.value.codes == ["not_yaml"]
    assert str(info.value).startswith("broken.yaml, row ")


def test_unknown_framework_lists_the_known_ones():
    with pytest.raises(FrameworkError) as info:
        load_framework("hmip-2030")
    assert "hmip-2018-crc" in str(info.value)


SMALL = """
id: youth-mini
name: A small custom framework
version: "0.1"
provider: YOT
ratings: [Outstanding, Good, Requires improvement, Inadequate]
key_question_bands:
  rounding: exact
  thresholds:
    - {rating: Outstanding, min_pct: 80}
    - {rating: Good, min_pct: 65}
    - {rating: Requires improvement, min_pct: 50}
    - {rating: Inadequate, min_pct: 0}
overall:
  points: {Outstanding: 3, Good: 2, Requires improvement: 1, Inadequate: 0}
  bands:
    - {rating: Inadequate, above: null}
    - {rating: Requires improvement, above: 0.5}
    - {rating: Good, above: 1.5}
    - {rating: Outstanding, above: 2.5}
samples: {court: Court disposals}
domains:
  - id: "2"
    name: Court disposals
    standards:
      - id: "2.1"
        name: Assessment
        headline: Assessment is well-informed.
        key_questions:
          - {id: "2.1.1", text: "Does assessment focus on desistance?", sample: court}
          - {id: "2.1.2", text: "Does assessment focus on safety?", sample: court, relevant_subsample: children with safety concerns}
      - id: "2.2"
        name: Planning
        headline: Planning is well-informed.
        counts_in_overall: false
        key_questions:
          - {id: "2.2.1", text: "Does planning focus on desistance?", sample: court}
"""


def test_custom_framework_from_folder_and_path(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "youth-mini.yaml").write_text(SMALL, encoding="utf-8")
    fw = load_framework("youth-mini", extra=folder)
    assert fw.rounding == "exact" and fw.samples == {"court": "Court disposals"}
    assert [s.counts_in_overall for s in fw.standards] == [True, False]
    assert load_framework(folder / "youth-mini.yaml").id == "youth-mini"
    from workbook.judgements import Judgement
    from workbook.ratings import rate

    r = rate(
        fw,
        [
            Judgement("a", "2.1.1", "yes"),
            Judgement("a", "2.1.2", "not_applicable"),
            Judgement("a", "2.2.1", "no"),
        ],
    )
    assert r.standards["2.1"].rating == "Outstanding"
    assert r.standards["2.2"].rating == "Inadequate"
    assert r.overall.n_standards == 1 and r.overall.rating == "Outstanding"


def test_file_name_must_match_id(tmp_path):
    path = tmp_path / "other-name.yaml"
    path.write_text(SMALL, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert info.value.codes == ["id_mismatch"]
    assert re.search(r"Name the file youth-mini\.yaml", str(info.value))
