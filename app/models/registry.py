"""Answer models registered by name; `get_model()` builds one from the settings."""

from collections.abc import Callable

from app.errors import UnknownModelError
from app.models.base import AnswerModel
from app.models.extractive import ExtractiveModel
from app.settings import Settings

ModelFactory = Callable[[Settings], AnswerModel]

_REGISTRY: dict[str, ModelFactory] = {
    "extractive": lambda s: ExtractiveModel(max_sentences=s.answer.max_sentences),
}


def register_model(name: str, factory: ModelFactory) -> None:
    """Make a model available under `name` (used by providers and tests)."""
    _REGISTRY[name] = factory


def available_models() -> list[str]:
    """Names that `get_model()` accepts."""
    return sorted(_REGISTRY)


def get_model(name: str, settings: Settings) -> AnswerModel:
    """Build the model registered under `name`, or raise `UnknownModelError`."""
    factory = _REGISTRY.get(name.strip())
    if factory is None:
        known = ", ".join(available_models())
        raise UnknownModelError(f"unknown model {name!r}; available: {known}")
    return factory(settings)
