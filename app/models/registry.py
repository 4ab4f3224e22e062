"""Answer models by name; `get_model()` builds one from the settings.

Names: `extractive`; `local` (the bundled GGUF model as a reader of the ranked sentences; `reader`
is the same); `writer` (the bundled model drafting free text from the passages, as `local` did
before it measured worse than the reader); `llamacpp:/path/to/model.gguf`; and hosted
chat models as `provider:model` through LangChain's `init_chat_model` (`openai:gpt-4o-mini`,
`anthropic:claude-...`, `ollama:llama3.2`; `openai:` also reaches any OpenAI-compatible server at
`NEWSQA_OPENAI_BASE_URL`).
"""

import importlib.util
import os
from collections.abc import Callable

from pydantic import BaseModel

from app.errors import UnknownModelError, UsageError
from app.models.base import AnswerModel
from app.models.chat import ChatAnswerModel
from app.models.extractive import ExtractiveModel
from app.settings import Settings

ModelFactory = Callable[[Settings], AnswerModel]
HOSTED_PROVIDERS = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY", "ollama": None}
EXAMPLE_MODELS = ["openai:gpt-4o-mini", "anthropic:claude-3-5-haiku-latest", "ollama:llama3.2"]


def _extractive(settings: Settings) -> AnswerModel:
    answer = settings.answer
    return ExtractiveModel(
        answer.max_sentences,
        answer.keep_margin,
        answer.list_margin,
        answer.conflict_margin,
        answer.explain_sentences,
        answer.name_conflict_margin,
    )


def _writer(settings: Settings) -> AnswerModel:
    from app.models.llamacpp import local_model_path

    path = str(local_model_path(settings.local_models_dir()))
    return _llamacpp_model("writer", path, settings)


def _reader(name: str) -> ModelFactory:
    def build(settings: Settings) -> AnswerModel:
        from app.models.reader import ReaderModel

        chat = _writer(settings).chat
        llm = settings.llm
        return ReaderModel(
            name,
            chat,
            _extractive(settings),
            min_score=llm.reader_min_score,
            unheld_min_score=llm.reader_unheld_min_score,
            vote_margin=llm.reader_vote_margin,
            reads=llm.reader_input,
            passages=llm.reader_passages,
            passage_chars=llm.reader_passage_chars,
        )

    return build


_REGISTRY: dict[str, ModelFactory] = {
    "extractive": _extractive,
    "local": _reader("local"),
    "reader": _reader("reader"),
    "writer": _writer,
}


def get_verifier(name: str, settings: Settings, model: AnswerModel | None = None):
    """The verifier called `name` ('local' or a model name as for `get_model`); it shares the
    answer model's llama.cpp instance when both are the bundled model."""
    from app.models.verifier import Verifier

    if name == "local" and model is not None and model.name in ("local", "reader", "writer"):
        return Verifier(name, model.chat)
    built = get_model("writer" if name == "local" else name, settings)
    chat = getattr(built, "chat", None)
    if chat is None:
        raise UsageError(f"{name!r} is not a language model and cannot verify answers")
    return Verifier(name, chat)


def available_models() -> list[str]:
    """Names that `get_model()` accepts as they are, then examples of prefixed names."""
    return sorted(_REGISTRY) + ["llamacpp:/path/to/model.gguf", *EXAMPLE_MODELS]


def get_model(name: str, settings: Settings) -> AnswerModel:
    """Build the model called `name`, or raise `UnknownModelError` / `UsageError`."""
    name = name.strip()
    if name in _REGISTRY:
        return _REGISTRY[name](settings)
    provider, _, model = name.partition(":")
    if provider == "llamacpp" and model:
        if not os.path.isfile(model):
            raise UsageError(f"GGUF model file not found: {model}")
        return _llamacpp_model(name, model, settings)
    if provider in HOSTED_PROVIDERS and model:
        return _hosted_model(provider, model, settings)
    known = ", ".join(available_models())
    raise UnknownModelError(f"unknown model {name!r}; available: {known}")


def _llamacpp_model(name: str, path: str, settings: Settings) -> AnswerModel:
    from app.models.llamacpp import LlamaCppChat

    llm = settings.llm
    json_output = llm.output == "json"
    chat = LlamaCppChat(
        model_path=path,
        n_ctx=llm.context_tokens,
        n_threads=llm.threads,
        max_tokens=llm.max_tokens,
        temperature=llm.temperature,
    )
    if llm.reply_cache is not None:
        from app.models.replycache import SQLiteReplyCache

        chat.cache = SQLiteReplyCache(llm.reply_cache)
    return ChatAnswerModel(name, chat, passage_chars=llm.passage_chars, json_output=json_output)


def _hosted_model(provider: str, model: str, settings: Settings) -> AnswerModel:
    from langchain.chat_models import init_chat_model

    options = {
        "timeout": settings.llm.timeout_s,
        "max_retries": settings.llm.max_retries,
        "temperature": settings.llm.temperature,
        "max_tokens": settings.llm.max_tokens,
    }
    key = _api_key(provider, settings)
    if key:
        options["api_key"] = key
    if provider == "openai" and settings.openai_base_url:
        options["base_url"] = settings.openai_base_url
    try:
        chat = init_chat_model(f"{provider}:{model}", **options)
    except ImportError as exc:
        raise UsageError(
            f"model {provider}:{model} needs the package langchain-{provider}: "
            f"`pip install langchain-{provider}`"
        ) from exc
    return ChatAnswerModel(
        f"{provider}:{model}", chat, settings.llm.passage_chars, secrets=(key,) if key else ()
    )


def _api_key(provider: str, settings: Settings) -> str | None:
    """The provider's key from the settings or its usual variable; a clear error when missing."""
    variable = HOSTED_PROVIDERS[provider]
    if variable is None:
        return None
    secret = getattr(settings, f"{provider}_api_key", None)
    key = secret.get_secret_value() if secret else os.environ.get(variable)
    if key:
        return key
    if provider == "openai" and settings.openai_base_url:
        return "not-needed"  # local OpenAI-compatible servers accept any key
    raise UsageError(
        f"model {provider}:... needs an API key: set {variable} "
        f"(or NEWSQA_{variable}) in the environment or in .env"
    )


class ModelChoice(BaseModel):
    """A model name for a picker, and why it cannot be used now (None when it can)."""

    name: str
    reason: str | None = None


def model_choices(settings: Settings) -> list[ModelChoice]:
    """The configured, built-in and example hosted models, each marked usable or not."""
    built_in = dict.fromkeys([settings.model, "extractive", "local", "writer"])
    choices = [ModelChoice(name=name) for name in built_in]
    for name in EXAMPLE_MODELS:
        if name not in built_in:
            choices.append(ModelChoice(name=name, reason=_unusable(name.split(":")[0], settings)))
    return choices


def _unusable(provider: str, settings: Settings) -> str | None:
    if importlib.util.find_spec(f"langchain_{provider}") is None:
        return f"needs the package langchain-{provider}"
    try:
        _api_key(provider, settings)
    except UsageError:
        return f"needs {HOSTED_PROVIDERS[provider]}"
    return None
