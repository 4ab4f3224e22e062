"""Errors raised by the retrieval library; the CLI and UI turn them into one-line messages."""


class RetrievalError(Exception):
    """Base class of every error this library raises on purpose."""


class SeedsNotFoundError(RetrievalError):
    """The folder of articles to index does not exist or is not a folder."""


class IndexMismatchError(RetrievalError):
    """The index on disk was built with another embedding model, dimension or format."""


class IndexFormatError(IndexMismatchError):
    """The index on disk was written by an older version of newsqa; `index` rebuilds it."""


class IndexCorruptError(RetrievalError):
    """The index on disk is unreadable or its files disagree with each other."""


class IndexLockedError(RetrievalError):
    """Another process holds the index lock."""


class EmbeddingModelError(RetrievalError):
    """The embedding model cannot be found or loaded."""


class MissingDependencyError(RetrievalError):
    """An optional heavy dependency is not installed; the message says how to install it."""


class StoreUnavailableError(RetrievalError):
    """The vector store's server (or Milvus Lite database) cannot be reached or opened."""


class MassRemovalError(RetrievalError):
    """An update would remove most or all of the index; it needs the user's explicit go-ahead."""

    exit_code = 2
