"""Answer models backed by any LangChain chat model (hosted, local llama.cpp, or a test fake).

The retrieved passages go into the prompt as quoted, numbered data; the model is asked to cite
`[n]` and to reply with the `CANNOT_ANSWER` sentinel when the passages lack the answer. Whatever
it writes is checked afterwards by `app.citations`.
"""

import json
from collections.abc import Generator, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.utils.json import parse_partial_json

from app.errors import ModelError
from app.injection import flagged_sentences, text_for_model, title_for_model
from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt, run_stream
from app.prompts import load_prompt
from retrieval.search import Passage
from retrieval.temporal import describe as describe_date


def sources_block(passages: list[Passage], chars: int) -> str:
    """The passages numbered from 1 as quoted data, each under its title and date."""
    return "\n\n".join(
        f"[{n}] (from {title_for_model(p)}, "
        f'{describe_date(p.chunk.article_date)})\n"""\n'
        f'{text_for_model(p.chunk.text, flagged_sentences(p))[:chars]}\n"""'
        for n, p in enumerate(passages, start=1)
    )


class ChatAnswerModel(AnswerModel):
    """Drafts cited answers with a LangChain `BaseChatModel`."""

    def __init__(
        self,
        name: str,
        chat: BaseChatModel,
        passage_chars: int = 1200,
        secrets: tuple[str, ...] = (),
        json_output: bool = False,
    ) -> None:
        self.name = name
        self.chat = chat
        self.passage_chars = passage_chars
        self.secrets = secrets
        self.json_output = json_output

    def messages(self, prompt: AnswerPrompt) -> list[BaseMessage]:
        sources = sources_block(prompt.passages, self.passage_chars)
        return [
            SystemMessage(load_prompt("system").format(sentinel=CANNOT_ANSWER)),
            HumanMessage(
                load_prompt("answer_json" if self.json_output else "answer").format(
                    sources=sources, question=prompt.question, sentinel=CANNOT_ANSWER
                )
            ),
        ]

    def execute(self, prompt: AnswerPrompt) -> str:
        return run_stream(self.stream(prompt))

    def stream(self, prompt: AnswerPrompt) -> Generator[str, None, str | None]:
        """The draft as it is generated. In JSON mode the pieces are the sentences' text as it
        arrives, and the generator returns the final draft with its `[n]` markers."""
        if not self.json_output:
            yield from self._reply(prompt)
            return None
        return (yield from _json_draft_pieces(self._reply(prompt)))

    def _reply(self, prompt: AnswerPrompt) -> Iterator[str]:
        """The raw reply, streamed; provider failures become `ModelError`."""
        finished = False
        try:
            options = {"json_schema": ANSWER_SCHEMA} if self.json_output else {}
            for chunk in self.chat.stream(self.messages(prompt), **options):
                finished = finished or bool(_finish_reason(chunk))
                yield chunk.text if isinstance(chunk.text, str) else str(chunk.content)
        except ModelError:
            raise
        except Exception as exc:  # providers raise many kinds; all become one message
            raise ModelError(f"model {self.name} failed: {self.redact(describe(exc))}") from exc
        if not finished:
            raise ModelError(f"model {self.name} failed: the reply stream ended before it finished")

    def rewrite(self, question: str, history: list) -> str | None:
        turns = "\n".join(f"{t.role}: {t.content}" for t in history[-6:])
        text = load_prompt("rewrite").format(history=turns, question=question)
        try:
            reply = self.chat.invoke([HumanMessage(text)]).text.strip()
        except Exception as exc:
            raise ModelError(f"model {self.name} failed: {self.redact(describe(exc))}") from exc
        reply = reply.splitlines()[0].strip().strip('"') if reply else ""
        return reply if 3 <= len(reply) <= 500 else None

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text


ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "answerable": {"type": "boolean"},
        "sentences": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "sources": {"type": "array", "items": {"type": "integer"}},
                },
                "required": ["text", "sources"],
            },
        },
    },
    "required": ["answerable", "sentences"],
}


def draft_from_json(reply: str) -> str:
    """Turn a JSON reply (see `ANSWER_SCHEMA`) into a draft with `[n]` markers."""
    try:
        data = json.loads(reply)
        sentences = [
            (str(s["text"]).strip(), [int(n) for n in s.get("sources", [])])
            for s in data.get("sentences", [])
        ]
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ModelError(f"the model's JSON reply is malformed: {describe(exc)}") from exc
    if not data.get("answerable", True) or not sentences:
        return CANNOT_ANSWER
    return _joined(sentences)


def _joined(sentences: list[tuple[str, list[int]]]) -> str:
    """Draft text from (sentence, source numbers) pairs; streamed and final drafts share it, so
    the streamed text is always a prefix of the final one."""
    return " ".join(text + "".join(f"[{n}]" for n in numbers) for text, numbers in sentences)


def _json_draft_pieces(reply_pieces: Iterator[str]) -> Generator[str, None, str]:
    """Readable pieces of a JSON reply as it streams; returns the final draft."""
    reply, shown = "", ""
    for piece in reply_pieces:
        reply += piece
        draft = _partial_draft(reply)
        if len(draft) > len(shown) and draft.startswith(shown):
            yield draft[len(shown) :]
            shown = draft
    final = draft_from_json(reply)
    if len(final) > len(shown) and final.startswith(shown):
        yield final[len(shown) :]
    return final


def _partial_draft(reply: str) -> str:
    """The draft so far of an unfinished JSON reply; the last sentence's markers wait until it
    is complete, so the text only ever grows at its end."""
    try:
        data = parse_partial_json(reply)
    except ValueError:
        return ""
    sentences = data.get("sentences") if isinstance(data, dict) else None
    parts = []
    for i, sentence in enumerate(sentences if isinstance(sentences, list) else []):
        if not isinstance(sentence, dict) or not isinstance(sentence.get("text"), str):
            break
        last = i == len(sentences) - 1
        numbers = [] if last else [n for n in sentence.get("sources", []) if isinstance(n, int)]
        parts.append((sentence["text"].strip(), numbers))
    return _joined(parts)


def _finish_reason(chunk) -> str | None:
    metadata = getattr(chunk, "response_metadata", None) or {}
    return (
        metadata.get("finish_reason")
        or metadata.get("stop_reason")
        or ("done" if metadata.get("done") else None)
    )


def describe(exc: BaseException) -> str:
    """A one-line description of a provider error."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {message[:300]}"
