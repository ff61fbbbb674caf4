"""ChangeFinder: the smallest change in answers that moves each standard a band."""

from workbook.files import load_framework
from workbook.judgements import Judgement
from workbook.ratings import rate, standard_change
from workbook.ui.method.change import ChangeFinder

FW = load_framework("hmip-2018-crc")


def _ratings(yes_of_20):
    judgements = []
    for kq in FW.rated_key_questions:
        yes = yes_of_20.get(kq.id, 14)  # 70%: Good
        judgements += [Judgement(f"C{i:02d}", kq.id, "yes" if i < yes else "no") for i in range(20)]
    return rate(FW, judgements)


def test_every_case_rated_standard_has_its_change():
    ratings = _ratings({"2.1.3": 12})  # 60%: Requires improvement
    finder = ChangeFinder(FW, ratings)
    assert list(finder.changes) == ["2.1", "2.2", "2.3", "2.4", "4.1", "4.2"]
    assert finder.changes["2.1"] == standard_change(FW, ratings, "2.1")
    # hand: 12 of 20 -> 13 of 20 is 65%: Good, one No changed to Yes
    assert finder.changes["2.1"].changes_to_lift == 1
    assert finder.changes["2.1"].lift_to == "Good"
    # 12 of 20 -> 9 of 20 is 45%: Inadequate (10 of 20 is 50%: still Requires improvement)
    assert finder.changes["2.1"].changes_to_drop == 3
    assert finder.sentence.startswith("1 No changed to Yes (1 on 2.1.3) would lift 2.1 to Good")
    assert "<caption" in finder.table.value


def test_picking_a_standard_spells_it_out():
    finder = ChangeFinder(FW, _ratings({}))
    finder.standard_picker.value = "2.2"
    # 14 of 20 (70%, Good): 16 of 20 is 80% -> two changes lift every KQ of 2.2, 3 KQs x 2 = 6
    assert finder.changes["2.2"].changes_to_lift == 6
    assert "would lift 2.2 to Outstanding" in finder.sentence
    assert "2.2" in finder.sentence_view.value


def test_new_ratings_refresh_the_table():
    finder = ChangeFinder(FW, _ratings({}))
    finder.show_ratings(_ratings({"4.2.1": 20, "4.2.2": 20, "4.2.3": 20}))
    assert finder.changes["4.2"].lift_to is None  # already Outstanding
    assert "(top band)" in finder.table.value
