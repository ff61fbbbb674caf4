"""DiscretionDemo: a discretion decision needs a reason and is footnoted in the summary table."""

import pytest

from workbook.files import load_framework
from workbook.judgements import Judgement
from workbook.ratings import rate
from workbook.ui.method.discretion import DiscretionDemo

FW = load_framework("hmip-2018-crc")


def _ratings():
    judgements = []
    for kq in FW.rated_key_questions:
        yes = 4 if kq.id == "2.2.1" else 8  # 2.2.1 at 40%: Inadequate; the rest 80%: Outstanding
        for i in range(10):
            judgements.append(Judgement(f"C{i:02d}", kq.id, "yes" if i < yes else "no"))
    return rate(FW, judgements)


@pytest.fixture
def demo():
    return DiscretionDemo(FW, _ratings())


def test_the_summary_starts_without_footnotes(demo):
    frame = demo.summary_frame
    assert frame.set_index("Standard").loc["2.2", "Rating"] == "Inadequate"
    assert "*" not in "".join(frame["Rating"])
    assert "No discretion decisions" in demo.summary.value


def test_a_decision_is_footnoted_with_its_reason(demo):
    demo.standard_picker.value = "2.2"
    demo.rating_picker.value = "Requires improvement"
    demo.reason.value = "Wider evidence on planning <in interviews>"
    demo.record.click()
    assert demo.feedback.value == ""
    row = demo.summary_frame.set_index("Standard").loc["2.2"]
    assert row["Rating"] == "Requires improvement *"
    assert row["Lowest key-question band"] == "Inadequate"
    assert row["Note"] == "* professional discretion: Wider evidence on planning <in interviews>"
    assert "Reason: Wider evidence on planning &lt;in interviews&gt;" in demo.summary.value
    assert [d.standard for d in demo.decisions] == ["2.2"]
    assert demo.reason.value == ""


def test_a_second_decision_gets_its_own_marker_and_replacing_keeps_one(demo):
    demo.record_decision("2.2", "Good", "first reason")
    demo.record_decision("4.1", "Good", "second reason")
    ratings = demo.summary_frame.set_index("Standard")["Rating"]
    assert ratings["2.2"] == "Good *" and ratings["4.1"] == "Good **"
    demo.record_decision("2.2", "Requires improvement", "changed our mind")
    assert len(demo.decisions) == 2
    demo.clear.click()
    assert demo.decisions == []
    assert "*" not in "".join(demo.summary_frame["Rating"])


def test_a_decision_without_a_reason_is_refused_and_shown(demo):
    demo.standard_picker.value = "2.1"
    demo.reason.value = "   "
    demo.record.click()
    assert "the reason is empty" in demo.feedback.value
    assert demo.decisions == []


def test_a_forged_standard_or_rating_is_refused(demo):
    with pytest.raises(ValueError, match="not a case-rated standard"):
        demo.record_decision("1.1", "Good", "judged standards are not discretion")
    with pytest.raises(ValueError, match="not a rating"):
        demo.record_decision("2.1", "Excellent", "no such rating")
