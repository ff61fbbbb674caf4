"""What would move a band: the published report's key questions and standards, by hand."""

from tests.ratings.test_engine import CRC, judgements_from_published
from workbook.ratings import rate
from workbook.ratings.changes import band_distance, standard_change


def test_distance_to_next_band():
    ratings = rate(CRC, judgements_from_published())
    d = band_distance(CRC, ratings.key_questions["2.4.3"])  # 26 of 53
    assert (d.better_band, d.more_yes_to_lift, d.no_to_yes_to_lift) == (
        "Requires improvement",
        1,
        1,
    )
    assert d.worse_band is None
    assert d.describe() == "1 more Yes would lift 2.4.3 to Requires improvement"
    d = band_distance(CRC, ratings.key_questions["2.1.3"])  # 63 of 98 = 64.3%
    # by hand: 64/99 = 64.6% prints 65; 64/98 = 65.3%; 63/128 = 49.2% prints 49 (63/127 prints 50);
    # 48/98 = 49.0% prints 49 (49/98 = 50%)
    assert (d.more_yes_to_lift, d.no_to_yes_to_lift, d.more_no_to_drop, d.yes_to_no_to_drop) == (
        1,
        1,
        30,
        15,
    )
    limited = band_distance(
        CRC, ratings.key_questions["2.1.3"], remaining=1
    )  # one case left to assess
    assert (limited.more_yes_to_lift, limited.more_no_to_drop, limited.yes_to_no_to_drop) == (
        1,
        None,
        15,
    )
    done = band_distance(CRC, ratings.key_questions["2.1.3"], remaining=0)  # every case assessed
    assert done.more_yes_to_lift is None
    assert (
        done.describe()
        == "1 No changed to Yes would lift 2.1.3 to Good; 15 Yes changed to No would drop it to Inadequate"
    )
    top = band_distance(CRC, ratings.key_questions["4.1.3"])
    assert (
        top.describe() == "4.1.3 is at the top band; 7 more No would drop it to Good"
    )  # 25/31 = 80.6%, 25/32 = 78.1%


def test_standard_change():
    ratings = rate(CRC, judgements_from_published())
    change = standard_change(CRC, ratings, "2.3")  # 83%, 52%, 51%: RI
    # by hand: 2.3.2 needs 64 of 98 (65.3%; 63 prints 64), 2.3.3 needs 54 of 83 (65.1%; 53 prints 64)
    assert change.lift_to == "Good" and change.changes_to_lift == 13 + 12
    assert dict(change.lift_detail) == {"2.3.2": 13, "2.3.3": 12}
    assert change.drop_to == "Inadequate" and dict(change.drop_detail) == {"2.3.3": 1}
