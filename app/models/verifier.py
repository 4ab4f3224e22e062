"""A second opinion on an answer: does the quoted text state it, or only share its topic?

The answering core's ranking cannot tell "the three Central Asian nations" from the number of
people who died in a crash: both are numbers in a sentence about the question's subject. A
language model asked, about the quotes alone, "does the text state the answer?" can. The
verifier asks the bundled model (or any chat model) and returns the probability of "yes"; the
core abstains below `NEWSQA_ANSWER__MIN_VERIFIED` (set on the tuning questions).
"""

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from app.errors import ModelError
from app.injection import text_for_model
from app.models.chat import describe
from app.prompts import load_prompt


class Verifier:
    """Asks a chat model whether quoted sentences state the answer to a question."""

    def __init__(self, name: str, chat: BaseChatModel) -> None:
        self.name = name
        self.chat = chat

    def probability(self, question: str, quotes: list[str], short: str | None) -> float:
        """P(the quotes state the answer), from the model's first-token odds when it gives
        them (llama.cpp), else 1 or 0 from its reply."""
        proposed = f"Proposed answer: {text_for_model(short)}\n" if short else ""
        text = " ".join(text_for_model(q) for q in quotes)
        messages = [
            SystemMessage(load_prompt("verify_system").format().strip()),
            HumanMessage(
                load_prompt("verify")
                .format(question=question, text=text, proposed=proposed)
                .strip()
            ),
        ]
        try:
            if hasattr(self.chat, "yes_probability"):
                return self.chat.yes_probability(messages)
            reply = self.chat.invoke(messages).text.strip().lower()
        except ModelError:
            raise
        except Exception as exc:  # providers raise many kinds; all become one message
            raise ModelError(f"verifier {self.name} failed: {describe(exc)}") from exc
        return 1.0 if reply.startswith("yes") else 0.0
