"""Quality guard: both halves of the seed question set, the default model, floors on the holdout.

`seeds/questions_tune.jsonl` is what the reading weights and abstention thresholds were fitted
on (`scripts/tune_answers.py`); `seeds/questions_holdout.jsonl` was written afresh by a writer
who never saw the tuning questions, and it alone sets the floors below (extractive model, k=5;
the note on issue 14 has the figures per kind, before and after). Both
halves are run and printed, so a change that helps the tuning half and hurts the holdout shows.
"""

import pytest

from app.evaluation import (
    evaluate,
    facts_found,
    load_questions,
    short_answer_matches,
    summarise,
)
from app.render import metrics_table
from app.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
HOLDOUT = SEEDS / "questions_holdout.jsonl"
TUNE = SEEDS / "questions_tune.jsonl"
# holdout, measured 2026-12-04 (offices, typed_gap, nations named elsewhere, pronouns): recall@5
# 1.000, accuracy 0.721, citation precision 0.906, abstention recall 0.625 (precision 0.833),
# false abstentions 0.035, short-answer exact match 0.623, median words of answered factoids 27;
# per kind factoid 0.76, descriptive 0.80, temporal 0.90, follow-up 0.67, multi-article 0.42
# (5 of 12; floor 3 of 12)
FLOORS = {
    "recall_at_k": 0.95,
    "accuracy": 0.65,
    "citation_precision": 0.85,
    "abstain_recall": 0.45,
    "short_answer_em": 0.55,
}
KIND_ACCURACY_FLOORS = {
    "factoid": 0.68,
    "followup": 0.55,
    "temporal": 0.80,
    "descriptive": 0.60,
    "multi_doc": 0.25,
}
CEILINGS = {"false_abstain_rate": 0.04, "factoid_words_p50": 32}


@pytest.fixture(scope="module")
def runs(seed_engine):
    found = {}
    for name, path in (("holdout", HOLDOUT), ("tune", TUNE)):
        outcomes = evaluate(seed_engine, load_questions(path), "extractive", k=5)
        found[name] = summarise(outcomes)
        document = {"model": "extractive", "n": len(outcomes), "metrics": found[name]}
        print(f"\n{name}:\n{metrics_table(document)}")
    return found


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_holdout_metric_stays_above_its_floor(runs, name):
    assert runs["holdout"]["overall"][name] >= FLOORS[name], runs["holdout"]["overall"]


@pytest.mark.parametrize("kind", sorted(KIND_ACCURACY_FLOORS))
def test_holdout_accuracy_per_kind_stays_above_its_floor(runs, kind):
    accuracy = runs["holdout"]["by_kind"][kind]["accuracy"]
    assert accuracy >= KIND_ACCURACY_FLOORS[kind], runs["holdout"]["by_kind"][kind]


@pytest.mark.parametrize("name", sorted(CEILINGS))
def test_holdout_metric_stays_below_its_ceiling(runs, name):
    assert runs["holdout"]["overall"][name] <= CEILINGS[name], runs["holdout"]["overall"]


def test_the_tuning_half_is_run_too(runs):
    assert runs["tune"]["overall"]["n"] >= 150 and runs["tune"]["overall"]["accuracy"] is not None


def test_the_question_sets_cover_every_kind_and_kind_of_unanswerable():
    questions = load_questions(HOLDOUT) + load_questions(TUNE)
    kinds = [q.kind for q in questions]
    assert len(questions) >= 160
    assert kinds.count("multi_doc") >= 20 and kinds.count("followup") >= 20
    unanswerable = [q for q in questions if not q.answerable]
    assert len(unanswerable) >= 40
    assert {q.unanswerable for q in unanswerable} >= {
        "detail", "out_of_corpus", "false_premise", "wrong_date"
    }  # fmt: skip
    assert all(q.history for q in questions if q.kind == "followup")
    assert all(len(q.must_cite) >= 2 for q in questions if q.kind == "conflict")


def test_the_holdout_shares_no_question_with_the_tuning_half():
    tune = {q.question.lower() for q in load_questions(TUNE)}
    assert not tune & {q.question.lower() for q in load_questions(HOLDOUT)}


def test_the_wikinews_set_loads_past_its_attribution_line():
    questions = load_questions(SEEDS / "questions_wikinews.jsonl")
    assert len(questions) >= 60 and all(q.id.startswith("w") for q in questions)
    assert "Wikinews" in (SEEDS / "questions_wikinews.jsonl").read_text().splitlines()[0]


@pytest.mark.parametrize(
    ("answer", "facts", "expected"),
    [
        ("Belarus joined [1].", [["Belarus"]], True),
        ("It was held on 2021-09-17.", [["2021-09-17"]], True),
        ("The $60 billion system", [["60 billion"]], True),
        ("In 2024", [["4"]], False),
        ("Mokhber attended", [["Mokhbar", "Mokhber"], ["Iran"]], False),
        ("Ankara, Türkiye", [["turkiye"]], True),
    ],
)
def test_fact_matching_normalises_case_punctuation_and_whole_words(answer, facts, expected):
    assert facts_found(answer, facts) is expected


@pytest.mark.parametrize(
    ("short", "facts", "expected"),
    [
        ("Belarus", [["Belarus"]], True),
        ("the Taliban", [["Taliban"]], True),
        ("Alexei Gromov", [["Alexei Gromov", "Gromov"]], True),
        ("Putin's spokesman Alexei Gromov", [["Gromov"]], False),
        ("July 3, 2024", [["July 3"], ["2024"]], True),
        (None, [["Belarus"]], False),
    ],
)
def test_short_answer_exact_match(short, facts, expected):
    assert short_answer_matches(short, facts) is expected


def test_a_bad_question_line_is_reported_with_its_number(tmp_path):
    from app.errors import UsageError

    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "question": "ok"}\n{"id": "b", "kind": "weird"}\n')
    with pytest.raises(UsageError, match=r"q.jsonl:2"):
        load_questions(path)
