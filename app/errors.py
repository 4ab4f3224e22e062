"""Errors of the application layer; the CLI and the UI turn them into one-line messages."""


class AppError(Exception):
    """Base class of every error the application raises on purpose."""

    exit_code = 1


class UsageError(AppError):
    """The user asked for something invalid (empty question, bad option value)."""

    exit_code = 2


class UnknownModelError(UsageError):
    """No answer model is registered under the requested name."""


class ModelError(AppError):
    """An answer model failed while composing an answer."""


class ArticleError(UsageError):
    """An uploaded or removed article was refused (bad name, type, size or text)."""
