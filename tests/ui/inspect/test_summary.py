"""CaseSummary beside the form: what it shows and what the last answer changed, checked
against workbook.ratings on the store's data before and after a real save (real SQLite)."""

from tests.ui.inspect.expected import fresh_ratings
from workbook import report
from workbook.report import WHOLE_SAMPLE

FLIP = {"yes": "no", "no": "yes"}


def figures(store, name):
    """{(standard, group): 'Rating NN%'} and the overall rating, from a fresh rating."""
    fw = store.framework(name)
    ratings = fresh_ratings(store, name)
    rows = report.standard_rows(fw, ratings, "ldu")
    cells = {
        (r["standard"], r["group"]): f"{r['rating']} {report.pct_text(r['pct'])}"
        for r in rows
        if r["rating"]
    }
    return cells, ratings


def a_flip(store, name, moves: bool):
    """(case, question, new answer, standard, LDU) of an answer whose flip moves (or does not
    move) the standard's rating for the whole sample or the case's LDU."""
    fw = store.framework(name)
    cases = store.cases(name).set_index("case_id")
    before, _ = figures(store, name)
    judgements = store.judgements(name)
    for row in judgements.itertuples():
        if row.answer not in FLIP or cases.loc[row.case_id, "sample"] != "case_supervision":
            continue
        sid, ldu = fw.key_question(row.question).standard_id, cases.loc[row.case_id, "ldu"]
        store.save_judgement(name, row.case_id, row.question, FLIP[row.answer], "probe")
        after, _ = figures(store, name)
        store.save_judgement(name, row.case_id, row.question, row.answer, "probe")
        moved = any(
            before[(sid, g)].split(" ")[:-1] != after[(sid, g)].split(" ")[:-1]
            for g in (WHOLE_SAMPLE, ldu)
        )
        if moved == moves:
            return row.case_id, row.question, FLIP[row.answer], sid, ldu
    raise AssertionError("no such answer in the demo")


def open_case(wb, case):
    """Pick the case in the navigator (another first, so the form reads it afresh)."""
    wb.navigator.case_id = next(c for c in wb.navigator.shown if c != case)
    wb.navigator.case_id = case
    assert wb.form.case_id == case == wb.summary.case_id


def test_the_summary_shows_the_cases_standards_for_the_sample_and_its_ldu(
    workbook_parts, demo_name
):
    wb = workbook_parts
    case = wb.navigator.shown[0]
    open_case(wb, case)
    ldu = wb.navigator.case_row(case)["ldu"]
    cells, ratings = figures(wb.store, demo_name)
    html = wb.summary.view.value
    assert f"Ratings for case {case}" in html and f'<th scope="row">{ldu}</th>' in html
    assert f">{ratings.overall.rating}</span>" in html.split("Standards this case touches")[0]
    sample = wb.navigator.case_row(case)["sample"]
    touched = [s for s in wb.framework.standards_for_sample(sample) if s.rated_from == "cases"]
    assert touched
    for std in touched:
        block = html.split(f'data-standard="{std.id}"')[1].split("</tbody>")[0]
        for group in (WHOLE_SAMPLE, ldu):
            rating, pct = cells[(std.id, group)].rsplit(" ", 1)
            row = block.split(f'data-group="{group}"')[1].split("</tr>")[0]
            assert f">{rating}</span> {pct}" in row, (std.id, group)
    assert "No answer changed yet on this case." in html


def test_an_answer_that_moves_a_band_says_from_what_to_what(workbook_parts, demo_name):
    wb = workbook_parts
    case, question, answer, standard, ldu = a_flip(wb.store, demo_name, moves=True)
    open_case(wb, case)
    before, _ = figures(wb.store, demo_name)
    old = wb.form.answer_of(question)

    wb.form.answer_toggles[question].value = answer  # as a click does

    after, _ = figures(wb.store, demo_name)
    assert wb.store.case_judgements(demo_name, case)[question].answer == answer
    expected = [
        f"{standard} in {words}: {before[(standard, g)]} -> {after[(standard, g)]}"
        for g, words in ((WHOLE_SAMPLE, "all cases"), (ldu, ldu))
        if before[(standard, g)].rsplit(" ", 1)[0] != after[(standard, g)].rsplit(" ", 1)[0]
    ]
    assert expected and wb.summary.rating_changed
    assert [line for line in wb.summary.change_lines if line in expected] == expected
    html = wb.summary.view.value
    assert f"{question}: {old.title()} -&gt; {answer.title()}" in html
    assert "No rating changed" not in html
    for line in expected:
        assert line.replace("->", "-&gt;") in html
    # the summary's cells show the new figures
    block = html.split(f'data-standard="{standard}"')[1].split("</tbody>")[0]
    rating, pct = after[(standard, ldu)].rsplit(" ", 1)
    assert f">{rating}</span> {pct}" in block.split(f'data-group="{ldu}"')[1]

    wb.form.answer_toggles[question].value = old  # and back: the line says so
    assert wb.summary.change_lines[0] == expected[0].split(": ")[0] + ": " + " -> ".join(
        reversed(expected[0].split(": ", 1)[1].split(" -> "))
    )


def test_an_answer_that_moves_no_band_says_no_rating_changed(workbook_parts, demo_name):
    wb = workbook_parts
    case, question, answer, standard, ldu = a_flip(wb.store, demo_name, moves=False)
    open_case(wb, case)
    kq_before = fresh_ratings(wb.store, demo_name).key_questions[question].pct_rounded

    wb.form.answer_toggles[question].value = answer

    ratings = fresh_ratings(wb.store, demo_name)
    kq_after = ratings.key_questions[question].pct_rounded
    assert not wb.summary.rating_changed
    assert "No rating changed" in wb.summary.view.value
    if kq_before != kq_after:
        assert wb.summary.change_lines[0].startswith(
            f"{question} in all cases: {kq_before}% -> {kq_after}% ({standard} stays "
        )

    other = next(c for c in wb.navigator.shown if c != case)
    open_case(wb, other)  # another case: nothing changed on it yet
    assert wb.summary.change_lines == [] and "No answer changed yet" in wb.summary.view.value
