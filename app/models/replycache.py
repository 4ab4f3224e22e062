"""A SQLite file that keeps a chat model's replies, as LangChain's cache interface asks.

At temperature 0 the local model gives the same reply to the same prompt, and a reply takes
seconds on a CPU: with `NEWSQA_LLM__REPLY_CACHE` set, a question asked again (an evaluation
rerun, a sweep of the answer settings, a chat page reloaded) reads the reply back at once. The
key is LangChain's own: the serialised messages and the model's parameters (path, context,
tokens, temperature, the JSON schema of the call), so any change of prompt or setting misses.
Replies are stored as LangChain's JSON serialisation, never pickled.
"""

import hashlib
import json
import sqlite3
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

from langchain_core._api import LangChainBetaWarning
from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import dumpd, load
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration

_REPLIES = [ChatGeneration, AIMessage]  # what a stored row may revive, nothing more
_SCHEMA = "CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, reply TEXT NOT NULL)"


class SQLiteReplyCache(BaseCache):
    """Replies by (prompt, model parameters), in one SQLite file shared by processes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    @staticmethod
    def _key(prompt: str, llm_string: str) -> str:
        return hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT reply FROM replies WHERE key = ?", (self._key(prompt, llm_string),)
            ).fetchone()
        if row is None:
            return None
        try:
            with warnings.catch_warnings():  # `load` is marked beta; its format is LangChain's
                warnings.simplefilter("ignore", LangChainBetaWarning)
                return [load(item, allowed_objects=_REPLIES) for item in json.loads(row[0])]
        except Exception:  # a row from another LangChain release: ask the model again
            return None

    def update(self, prompt: str, llm_string: str, return_val: Sequence) -> None:
        reply = json.dumps([dumpd(generation) for generation in return_val])
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO replies (key, reply) VALUES (?, ?)",
                (self._key(prompt, llm_string), reply),
            )

    def clear(self, **kwargs) -> None:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM replies")
