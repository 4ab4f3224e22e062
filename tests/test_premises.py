"""The refusal a "why" question takes for granted, and whether a sentence reports one (spaCy
only: no index)."""

import pytest

from app.premises import (
    is_negative,
    negative_predicate,
    ordinal_clash,
    ordinal_first,
    pending_outcome,
    subject_terms,
    unquoted,
)
from app.reading import RankedSentence
from app.understanding import analyse
from retrieval.search import ScoredSentence


@pytest.mark.parametrize(
    ("question", "predicate"),
    [
        ("Why did Belarus quit the SCO?", "quit"),
        ("Why did China turn down the Taliban's request for aid?", "turn down"),
        ("Why did Putin refuse to meet Xi?", "refuse"),
        ("Why did Modi not attend the summit?", "not attend"),
        ("Why did the Senate vote down the nomination?", "vote down"),
        ("Why did Helen Clark bar John Howard from entering New Zealand?", "bar"),
        ("Why did Belarus join the SCO?", ""),
        ("Why did Putin travel to Dushanbe?", ""),
        # a reported clause is what someone said, not what the question assumes happened
        ("Under what conditions did Putin say the fighting could stop?", ""),
    ],
)
def test_a_question_predicate_of_refusing_or_not_doing_is_found(question, predicate):
    assert negative_predicate(question) == predicate


@pytest.mark.parametrize(
    ("sentence", "negative"),
    [
        ("Russia's western neighbor and ally, Belarus, joined the SCO on Thursday.", False),
        ("Tokayev hailed the SCO as one of the most influential structures.", False),
        ("The Senate voted to confirm Ben Bernanke for a second term.", False),
        ("TfL said Uber would not get a renewed private hire licence.", True),
        ("The city administration directed Uber to halt operations.", True),
        ("India boycotted the meeting.", True),
        ("Prime Minister Narendra Modi of India has sent his foreign minister.", True),
        ("Eleven senators voted against Bernanke.", True),
        ("Howard will talk to the leader of the opposition party, John Key.", False),
        ("Clark barred Howard from entering the country.", True),
    ],
)
def test_a_sentence_reporting_a_refusal_or_an_absence_is_negative(sentence, negative):
    assert is_negative(sentence) is negative


def test_the_subject_is_the_question_s_own():
    assert subject_terms("Why did the US Senate vote down the nomination?") == {"us", "senat"}


def _ranked(*texts: str) -> list[RankedSentence]:
    return [
        RankedSentence(
            n=1,
            doc_id="d",
            sentence=ScoredSentence(start=0, end=len(text), text=text, similarity=0.5),
            terms=set(),
            features={},
            relevance=0,
            score=0,
        )
        for text in texts
    ]


@pytest.mark.parametrize(
    ("question", "sentence", "event"),
    [
        (
            "Who won the runoff?",
            "Iran is still choosing a president, with a runoff Friday.",
            "runoff",
        ),
        (
            "What was the result of the test?",
            "The Pentagon plans a crucial test on Friday.",
            "test",
        ),
        ("Who won the runoff?", "Pezeshkian won the runoff and will take office in August.", ""),
        ("Who attended the summit?", "Modi will attend the summit.", ""),  # no outcome asked
    ],
)
def test_an_outcome_reported_only_as_still_to_come_is_found(question, sentence, event):
    assert pending_outcome(analyse(question), _ranked(sentence)) == event


@pytest.mark.parametrize(
    ("question", "sentence", "clash"),
    [
        (
            "Where will the third Russia-Central Asia summit be held?",
            "The first Russia–Central Asia Summit was held in Astana on Oct. 14, 2022.",
            "the first summit, not the third",
        ),
        (
            "Which city hosted the second Russia-Central Asia summit?",
            "2nd Russia–Central Asia summit opens in Dushanbe",
            "",
        ),
        ("Where will the third summit be held?", "The first flight left Astana.", ""),
    ],
)
def test_an_ordinal_the_answer_s_sentence_puts_otherwise_clashes(question, sentence, clash):
    assert ordinal_clash(analyse(question), _ranked(sentence)) == clash


def test_a_sentence_with_the_asked_ordinal_goes_before_one_that_clashes():
    first = "The first Russia–Central Asia Summit was held in Astana on Oct. 14, 2022."
    second = "The second Russia–Central Asia Summit began Thursday in Dushanbe."
    other = "The summit's agenda centers on trade."
    asked = analyse("When did the second Russia-Central Asia summit open?")
    order = [r.text for r in ordinal_first(asked, _ranked(first, other, second))]
    assert order == [second, first, other]
    # no clash at the top: the ranking stands; nothing of the asked ordinal: the clash stands
    assert [r.text for r in ordinal_first(asked, _ranked(other, first, second))][0] == other
    third = analyse("Where will the third Russia-Central Asia summit be held?")
    assert [r.text for r in ordinal_first(third, _ranked(first, other))] == [first, other]


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("Who is the secretary general of the CSTO?", ["csto"]),
        ("Who is the CSTO's secretary general?", ["csto"]),
        ("Who is the president of Maersk?", ["maersk"]),
        ("Who was Putin's spokesman?", []),  # a person's office is no body's
        ("Who was Kazakhstan's president?", []),  # a country's is app.nations' to check
    ],
)
def test_whose_office_a_person_question_asks_about(question, body):
    assert analyse(question).role_of == body


@pytest.mark.parametrize(
    ("question", "holder"),
    [
        ("Who is the secretary general of the CSTO?", True),
        ("What was the name of the ship's captain who was held by the pirates?", True),
        ("Which president attended the summit?", False),  # the type, not a holder asked for
    ],
)
def test_whether_a_question_asks_who_holds_an_office(question, holder):
    assert analyse(question).holder is holder


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("What is the name of the Hong Kong restaurateur who bought the tuna?", ["restaurateur"]),
        ("What is the name of the man who bought the tuna?", []),  # anyone
        ("Which leader who attended the summit hosted it?", []),  # the type asked for
        ("Who became prime minister of Iceland?", ["prime", "minister"]),
        ("Who became acting Chief Justice when Chaudhry was suspended?", ["justice"]),
    ],
)
def test_the_noun_a_who_clause_describes_is_the_role_asked(question, role):
    assert analyse(question).role == role


@pytest.mark.parametrize(
    "question",
    [
        "What point was the group trying to make with its initiative?",
        "What criticism did the opposition level at the plan?",
        "What reason did the court give for the ban?",
    ],
)
def test_a_what_question_about_a_point_or_a_reason_asks_for_a_description_not_a_name(question):
    from app.understanding import AnswerType

    assert analyse(question).answer_type == AnswerType.DESCRIPTION


def _answering(doc_id: str, text: str, span: str, fit: float, score: float, link: bool = False):
    from app.reading import ScoredSpan

    start = text.index(span)
    found = ScoredSpan(
        text=span, start=start, end=start + len(span), fit=fit, closeness=0.1, focus_link=link,
        score=score,
    )  # fmt: skip
    sentence = ScoredSentence(start=0, end=len(text), text=text, similarity=0.5)
    return RankedSentence(
        n=1, doc_id=doc_id, sentence=sentence, terms=set(), features={}, relevance=score,
        score=score, spans=[found],
    )  # fmt: skip


def test_a_poorly_typed_answer_gives_way_to_a_well_typed_one_of_the_same_article():
    from app.reading import well_typed_first

    when = analyse("When is Smitherman due to marry?")
    headline = _answering("a", "Health Minister set to marry this summer", "this summer", 0.4, 0.7)
    body = _answering("a", "He will wed his partner this summer, August 5.", "August 5", 1.0, -0.1)
    other = _answering("b", "Another minister married on June 2.", "June 2", 1.0, 0.5)
    assert well_typed_first(when, [headline, other, body], 2.0)[0] is body
    assert well_typed_first(when, [headline, body], 0.5)[0] is headline  # too far below
    assert well_typed_first(when, [headline, other], 2.0)[0] is headline  # another story
    linked = _answering("a", "Audible Magic, a company", "Audible Magic", 0.4, 0.7, link=True)
    which = analyse("Which company showed the software?")
    assert well_typed_first(which, [linked, body], 2.0)[0] is linked  # said to be one


@pytest.mark.parametrize(
    "question",
    [
        "Which BBC correspondent vanished in Gaza?",
        "Which Flemish alderman organised the mass wedding?",
        "Which gunman opened fire at the school?",
    ],
)
def test_which_correspondent_or_alderman_asks_for_a_person(question):
    from app.understanding import AnswerType

    assert analyse(question).answer_type == AnswerType.PERSON


def test_a_quoted_negation_beside_the_best_sentence_is_someone_s_words():
    beside = (
        'Speaking to both Houses of Parliament, Sarkozy said that "France would never forget" '
        "the help Britain gave."
    )
    assert is_negative(beside) and not is_negative(unquoted(beside))
    assert is_negative(unquoted("Modi has sent his foreign minister to the summit."))
