"""Wires the settings to the retrieval library and an answer model.

`Engine` owns one embedder and keeps the loaded index and its searcher until the index on disk
changes, so the Streamlit page and long-lived callers don't reload per question. Collaborators
(embedder, model factory) can be passed in; by default they come from the settings.
"""

from pathlib import Path

from app.answering import Answerer, AnswerResult, clean_question
from app.errors import UsageError
from app.models import AnswerModel, get_model
from app.models.registry import get_verifier
from app.rewrite import ChatTurn
from app.settings import Settings
from retrieval import storage
from retrieval.embedding import Embedder, SentenceTransformerEmbedder
from retrieval.index import IndexManager, LoadedIndex, Progress, UpdateReport
from retrieval.search import HybridSearcher, Mode, Passage, TimeWindow


class Engine:
    """The newsqa engine: index upkeep, search and answers over one data directory."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or SentenceTransformerEmbedder(settings.embedding)
        self.manager = IndexManager(
            settings.data_dir, self.embedder, settings.chunking, settings.store_config()
        )
        self._searcher: HybridSearcher | None = None
        self._generation: Path | None = None

    def update_index(
        self,
        seeds_dir: Path | None = None,
        rebuild: bool = False,
        progress: Progress = True,
        allow_remove: bool = False,
    ) -> UpdateReport:
        """Bring the index in line with the seeds folder (new/changed/deleted files); removing
        most of the index needs `allow_remove`."""
        folder = seeds_dir or self.settings.seeds_dir
        report = self.manager.update(folder, rebuild, progress, allow_remove)
        self._searcher = None
        return report

    def ensure_index(self, progress: bool = True) -> UpdateReport | None:
        """Build the index from the seeds folder when none exists yet."""
        return None if self.manager.exists() else self.update_index(progress=progress)

    def loaded_index(self) -> LoadedIndex:
        return self.searcher().index

    def searcher(self) -> HybridSearcher:
        """The searcher over the generation in force, reloaded when a new one is published."""
        generation = storage.current_generation(self.settings.data_dir)
        if self._searcher is None or generation != self._generation:
            self._searcher = HybridSearcher(
                self.manager.load(mmap=True), self.embedder, self.settings.search
            )
            self._generation = generation
        return self._searcher

    def search(
        self,
        question: str,
        k: int | None = None,
        mode: Mode | None = None,
        window: TimeWindow | None = None,
    ) -> list[Passage]:
        question = clean_question(question, self.settings.answer)
        k = check_k(self.settings.top_k if k is None else k)
        return self.searcher().search(question, k, mode, window)

    def answerer(self, model: AnswerModel | str | None = None) -> Answerer:
        if not isinstance(model, AnswerModel):
            model = get_model(model or self.settings.model, self.settings)
        fallback = None
        if self.settings.fallback and model.name != "extractive":
            fallback = get_model("extractive", self.settings)
        verifier = None
        if name := self.settings.answer.verifier.strip():
            verifier = get_verifier(name, self.settings, model)
        return Answerer(
            self.searcher(),
            model,
            self.settings.answer,
            fallback,
            self.settings.reading,
            verifier=verifier,
        )

    def ask(
        self,
        question: str,
        model: AnswerModel | str | None = None,
        k: int | None = None,
        history: list[ChatTurn] | None = None,
        on_token=None,
        window: TimeWindow | None = None,
    ) -> AnswerResult:
        k = check_k(self.settings.top_k if k is None else k)
        return self.answerer(model).ask(question, k, history, on_token, window)


MAX_K = 100


def check_k(k: int) -> int:
    """Refuse a passage count outside 1..MAX_K."""
    if not 1 <= k <= MAX_K:
        raise UsageError(f"-k must be between 1 and {MAX_K}, got {k}")
    return k
