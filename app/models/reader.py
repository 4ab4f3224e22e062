"""The local model as a reader, not a writer: it picks the answer out of numbered sentences.

The answering core has already ranked every sentence of the passages (`app.reading`); the reader
is shown the best dozen, numbered, and asked (under a JSON grammar) for the short answer copied
from them and the numbers of the sentences that state it, or null. Its answer is kept only when
one of those sentences holds it (any of the dozen, compared without case or punctuation); the
draft then quotes the sentence that holds it. Otherwise the extractive answer stands: the two
vote rather than one vetoing the other. The vote also runs the other way: when the extractive
ranking scores its own factoid span far above the reader's span (by `vote_margin`; "China" from
"established in 2001 by China" against "Belarus ... joined the SCO"), the extractive answer wins.
A null from the reader abstains when the extractive answer is weak too; so, with a lower bar, does
an answer none of the sentences holds or one that only echoes the question (the reader found the
topic, not the answer). The bars and the margin are set on the tuning questions. Follow-ups
are made standalone by the rules (`app.rewrite`), not by the model: on
the Wikinews tuning follow-ups the model's rewrites lost the subject twice in six ("How much is
it paying per share?" after Whole Foods became "the current share price of Amazon.com"), the
rules' never. A why/how answer adds the extractive answer's sentences to the one the reader chose;
lists and disagreements are left to the extractive model (one line per article), unasked.

`reads="passages"` shows the model the top passages whole instead (as a plain "stuff" prompt
would) and looks for its answer in their sentences: on the Wikinews tuning questions it was both
worse (0.743 against 0.784) and slower (1,100 prompt tokens against about 500), so the dozen
sentences are the default.
"""

import json
import logging
import re
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from app.errors import ModelError
from app.injection import drop_markers, text_for_model
from app.mentions import TITLES, fold, folded
from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt, Draft
from app.models.chat import describe, sources_block
from app.models.extractive import ExtractiveModel
from app.prompts import load_prompt
from app.reading import RankedSentence
from app.shortanswer import find_span
from app.spans import echoes_question

log = logging.getLogger(__name__)
NO_ANSWER = {"null", "none", "n/a", "unknown", "not stated", "not mentioned"}
READER_SCHEMA = {
    "type": "object",
    "properties": {
        "answer": {"type": ["string", "null"]},
        "sentences": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["answer", "sentences"],
}
PASSAGES_SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": ["string", "null"]}},
    "required": ["answer"],
}


class ReaderModel(AnswerModel):
    """A chat model that reads the ranked sentences and names the answer in them."""

    leads_with_short_answer = True
    quotes_articles = True

    def __init__(
        self,
        name: str,
        chat: BaseChatModel,
        extractive: ExtractiveModel,
        sentences: int = 12,
        min_score: float = -3.0,
        unheld_min_score: float = -3.0,
        vote_margin: float | None = None,
        reads: Literal["sentences", "passages"] = "sentences",
        passages: int = 4,
        passage_chars: int = 1000,
    ) -> None:
        self.reads = reads  # "sentences": the ranked dozen, numbered; "passages": the top passages
        self.passages = passages
        self.passage_chars = passage_chars
        self.name = name
        self.chat = chat
        self.extractive = extractive
        self.sentences = sentences
        self.min_score = min_score  # a null reply keeps an extractive answer scoring this
        self.unheld_min_score = unheld_min_score  # ...and an answer no sentence holds
        self.vote_margin = vote_margin  # the extractive answer wins by this much; None: never

    def execute(self, prompt: AnswerPrompt) -> str | Draft:
        if not prompt.ranked:
            return CANNOT_ANSWER
        if (shaped := self.extractive.news_shaped(prompt)) is not None:
            return shaped  # lists and disagreements keep their one line per article
        read = self._read_passages if self.reads == "passages" else self._read_sentences
        shown, answer, named = read(prompt)
        fallback = self.extractive.unshaped(prompt)
        log.debug("reader %r -> %r %s (best score %.3f)", prompt.question, answer, named,
                  prompt.ranked[0].score)  # fmt: skip
        found = _holding(answer, shown, named) if answer is not None else None
        if answer is None:
            strong = prompt.ranked[0].score >= self.min_score
            return fallback if strong else CANNOT_ANSWER
        if found is None or _no_answer(found[1], prompt):  # paraphrased, invented or echoed
            strong = prompt.ranked[0].score >= self.unheld_min_score
            return fallback if strong else CANNOT_ANSWER
        sentence, span = found
        if prompt.analysis is None or not prompt.analysis.factoid:
            return Draft(text=self._explained(sentence, fallback, prompt))
        span = narrowed(span, sentence, prompt.ranked)
        if _outscored(prompt.ranked, sentence, span, self.vote_margin):
            return fallback
        return self.extractive.quoting(prompt, sentence, span)

    def _explained(
        self, sentence: RankedSentence, fallback: str | Draft, prompt: AnswerPrompt
    ) -> str:
        """A why/how/what-did-they-say answer: the sentence the reader chose, then the
        extractive answer's sentences, up to as many as the extractive answer quotes."""
        chosen = drop_markers(sentence.text)
        lines = [f"{chosen} [{sentence.n}]"]
        text = fallback.text if isinstance(fallback, Draft) else fallback
        most = self.extractive.sentences_for(prompt)
        for line in text.split("\n\n") if text != CANNOT_ANSWER else []:
            if len(lines) < most and not line.startswith(chosen):
                lines.append(line)
        return "\n\n".join(lines)

    def _read_sentences(self, prompt: AnswerPrompt):
        """The dozen best sentences, numbered: (shown, answer, the numbers the model named)."""
        shown = _distinct(prompt.ranked)[: self.sentences]
        listed = "\n".join(f"[{i}] {text_for_model(r.text)}" for i, r in enumerate(shown, 1))
        human = load_prompt("reader").format(sentences=listed, question=prompt.question)
        reply = self._reply("reader_system", human, READER_SCHEMA)
        return (shown, *parse_reply(reply, len(shown)))

    def _read_passages(self, prompt: AnswerPrompt):
        """The top passages whole: (their sentences, answer, no numbers)."""
        shown = [r for r in _distinct(prompt.ranked) if r.n <= self.passages]
        listed = sources_block(prompt.passages[: self.passages], self.passage_chars)
        human = load_prompt("reader_passages").format(passages=listed, question=prompt.question)
        reply = self._reply("reader_passages_system", human, PASSAGES_SCHEMA)
        return shown, parse_reply(reply, 0)[0], []

    def _reply(self, system: str, human: str, schema: dict) -> str:
        messages = [SystemMessage(load_prompt(system).format()), HumanMessage(human)]
        try:
            return self.chat.invoke(messages, json_schema=schema).text
        except Exception as exc:  # providers raise many kinds; all become one message
            raise ModelError(f"model {self.name} failed: {describe(exc)}") from exc


def parse_reply(reply: str, count: int) -> tuple[str | None, list[int]]:
    """The answer (None for null or empty) and the valid sentence numbers of a JSON reply."""
    try:
        data = json.loads(reply)
        answer = data.get("answer")
        numbers = [int(n) for n in data.get("sentences") or [] if 1 <= int(n) <= count]
    except (ValueError, TypeError, AttributeError) as exc:
        raise ModelError(f"the model's JSON reply is malformed: {describe(exc)}") from exc
    answer = str(answer).strip() if answer is not None else ""
    if answer.lower().strip(".") in NO_ANSWER:
        answer = ""  # the small model often writes null as a string
    return (answer or None), numbers


def _no_answer(span: str, prompt: AnswerPrompt) -> bool:
    """Whether a factoid's span, found in a sentence, is no answer: the question
    already names it ("Franczyk" for "Who warned councilman David Franczyk?"), or the articles
    that hold it lack a name the question gives, the check every extractive candidate passes
    ("14-9" for the Icesave vote, from a story on a US Senate vote)."""
    analysis = prompt.analysis
    if analysis is None or not analysis.factoid:
        return False
    unnamed = prompt.allowed is not None and not prompt.allowed(span)
    return unnamed or echoes_question(span, analysis)


def _outscored(
    ranked: list[RankedSentence], sentence: RankedSentence, span: str, margin: float | None
) -> bool:
    """Whether the extractive answer's span scores more than `margin` above the reader's, as
    the extractive ranking scores the reader's span in its sentence ("China" from "established
    in 2001 by China" for "Which country joined the SCO?", against "Belarus ... joined"). A
    span the ranking never considered is not outscored: its type or extent was not foreseen.
    Spans are compared as `find_span` found the reader's: without case, accents or punctuation."""
    if margin is None:
        return False
    best = next((r for r in ranked if r.span is not None), None)
    wanted = folded(span)
    own = [s.score for s in _candidates_in(sentence, ranked) if folded(s.text) == wanted]
    return best is not None and bool(own) and best.span.score - max(own) > margin


def _candidates_in(sentence: RankedSentence, ranked: list[RankedSentence]) -> list:
    """The extractive ranking's candidate spans in the sentence's text (the same sentence may
    be ranked once per passage that holds it)."""
    return [s for r in ranked if r.text == sentence.text for s in r.spans]


def narrowed(span: str, sentence: RankedSentence, ranked: list[RankedSentence]) -> str:
    """The reader's span less the words around an extractive candidate it holds, when they only
    qualify it: titles and lower-case words ("Dr. Sanjay Gupta", "Falcon 9 rocket", "Mokhbar
    attended the summit") or a place after a comma ("Everett, Washington"). Never across "and",
    "or", another number or another name ("IBM and Compaq", "70 to 30 vote", "London Gatwick
    Airport" keep their words); the best-scoring candidate wins when several fit."""
    whole = folded(span)
    inside = [
        s
        for s in _candidates_in(sentence, ranked)
        if folded(s.text) != whole and folded(s.text) in whole
    ]
    for candidate in sorted(inside, key=lambda s: -s.score):
        if (part := find_span(candidate.text, span)) is not None and _qualifies(span, part):
            return part
    return span


_JOINING = {"and", "or", "nor", "to", "vs", "versus"}  # words between two answers
_HONORIFICS = {"dr", "mr", "mrs", "ms", "sir", "justice", "captain", "lord", "lady", "acting"}
_WORDS = re.compile(r"[^\W_]+|[&\d]")


def _qualifies(span: str, part: str) -> bool:
    """Whether the words of `span` around `part` only qualify it (see `narrowed`)."""
    before, _, after = span.partition(part)
    place = after.lstrip().startswith(",")  # "Everett, Washington"
    words = _WORDS.findall(before) + _WORDS.findall(after)
    for word in words:
        bare = fold(word)
        if bare.isdigit() or bare in _JOINING or word == "&":
            return False
        capital = word[:1].isupper() and bare not in TITLES | _HONORIFICS
        if capital and not (place and word in after):
            return False
    return bool(words)


def _holding(answer: str, shown: list[RankedSentence], named: list[int]):
    """The first sentence holding `answer`: those the model named first, then the others."""
    order = [shown[n - 1] for n in named] + [r for r in shown]
    for sentence in order:
        if (span := find_span(answer, sentence.text)) is not None:
            return sentence, span
    return None


def _distinct(ranked: list[RankedSentence]) -> list[RankedSentence]:
    seen, kept = set(), []
    for r in ranked:
        if r.text not in seen:
            seen.add(r.text)
            kept.append(r)
    return kept
