"""Answer models backed by any LangChain chat model (hosted, local llama.cpp, or a test fake).

The retrieved passages go into the prompt as quoted, numbered data; the model is asked to cite
`[n]` and to reply with the `CANNOT_ANSWER` sentinel when the passages lack the answer. Whatever
it writes is checked afterwards by `app.citations`.
"""

import json
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from app.errors import ModelError
from app.injection import text_for_model
from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt
from app.prompts import load_prompt


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
        sources = "\n\n".join(
            f"[{n}] (from {p.chunk.title or p.chunk.doc_id}, "
            f'{p.chunk.published or "date unknown"})\n"""\n'
            f'{text_for_model(p.chunk.text)[: self.passage_chars]}\n"""'
            for n, p in enumerate(prompt.passages, start=1)
        )
        return [
            SystemMessage(load_prompt("system").format(sentinel=CANNOT_ANSWER)),
            HumanMessage(
                load_prompt("answer_json" if self.json_output else "answer").format(
                    sources=sources, question=prompt.question, sentinel=CANNOT_ANSWER
                )
            ),
        ]

    def execute(self, prompt: AnswerPrompt) -> str:
        reply = "".join(self.stream(prompt))
        return draft_from_json(reply) if self.json_output else reply

    def stream(self, prompt: AnswerPrompt) -> Iterator[str]:
        """The draft as it is generated; a sentinel reply comes back as `CANNOT_ANSWER`."""
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
    return " ".join(text + "".join(f"[{n}]" for n in numbers) for text, numbers in sentences)


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
