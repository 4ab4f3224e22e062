"""Answer models: the `AnswerModel` interface and the registry that builds one by name."""

from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt
from app.models.registry import available_models, get_model

__all__ = ["CANNOT_ANSWER", "AnswerModel", "AnswerPrompt", "available_models", "get_model"]
