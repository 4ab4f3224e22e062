"""The one `Settings` class: every knob, read from `NEWSQA_*` variables and `.env`.

Nested sections use a double underscore, e.g. `NEWSQA_SEARCH__BM25_WEIGHT=1.0`. `.env.example`
lists every field, one line each, and a test keeps the two in step.
"""

import math
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.reading import ReadingConfig
from retrieval.config import (
    ChunkingConfig,
    EmbeddingConfig,
    FaissConfig,
    MilvusConfig,
    SearchConfig,
    StoreConfig,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class AnswerabilityWeights(BaseModel):
    """A logistic model of whether the passages answer the question, from the best answer's
    score, the share of the question's key words they lack, and the best sentence similarity
    (fitted on the tuning questions: `scripts/tune_answers.py --fit`)."""

    bias: float = 0.0
    score: float = Field(1.0, description="the best answer's score (log-odds)")
    missing: float = Field(-3.0, description="weight share of key words no passage holds")
    similarity: float = Field(2.0, description="best MiniLM similarity of a sentence")
    factoid: float = Field(0.0, description="the question asks for a short span")
    typed_gap: float = Field(
        0.0,
        description="a factoid's best sentence's score less that of the best one holding a "
        "span of the asked type (the answer's sentence)",
    )

    def probability(self, features: dict[str, float]) -> float:
        logit = self.bias + sum(getattr(self, k) * v for k, v in features.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, logit))))


class AnswerConfig(BaseModel):
    """How answers are composed and when the engine abstains."""

    min_evidence: float = Field(0.40, ge=-1.0, le=1.0)
    max_missing_share: float = Field(0.5, ge=0.0, le=1.01)
    premise_check: bool = Field(
        False,
        description="abstain on a 'why' question whose verbs no passage holds (off: as many "
        "paraphrases as false premises on the seed holdout)",
    )
    actor_depth: int = Field(
        3,
        ge=0,
        le=10,
        description="how many best sentences are read for who did what a 'why' question asks "
        "about: when those that use the question's verb all name someone else as its subject or "
        "object ('Obama won' for 'Why did Clinton win?'), the answer abstains (0: no check)",
    )
    refusal_depth: int = Field(
        1,
        ge=0,
        le=10,
        description="abstain on a 'why' question whose predicate is a refusal ('quit', 'turn "
        "down', 'did not attend') when none of this many best-ranked sentences, nor the one "
        "before or after each, says anything negative "
        "('Belarus joined the SCO'); 0: no such check",
    )
    pending_check: bool = Field(
        True,
        description="abstain on a question asking for an outcome ('who won', 'what was the "
        "result') when the best sentence reports the event as still to come ('plans a test'), "
        "and on one numbering a thing ('the third summit') the answer's sentence numbers "
        "otherwise ('the first summit')",
    )
    injection_threshold: float = Field(
        0.8,
        ge=0.0,
        le=1.01,
        description="a passage sentence that says 'you', gives an order or names an AI addressee, "
        "but matches no structural injection rule, is set aside as addressing a model when the "
        "guard's classifier gives it at least this probability (set on the tuning half of "
        "tests/reliability/data/injection_sentences.jsonl; 1.01: structure only)",
    )
    article_language: str = Field(
        "en",
        description="the language the articles are written in (ISO 639-1); a passage sentence "
        "the language identifier places in another language is set aside like an instruction, "
        "since neither the guard nor the reader can check it ('' keeps every language)",
    )
    foreign_min_probability: float = Field(
        0.9,
        ge=0.0,
        le=1.01,
        description="the least probability the language identifier must give another language "
        "than ARTICLE_LANGUAGE to set a sentence aside (set on the tuning half of "
        "tests/reliability/data/injection_sentences.jsonl and on Wikinews sentences)",
    )
    answerable: AnswerabilityWeights = AnswerabilityWeights(
        bias=1.253, score=0.531, missing=-1.508, similarity=0.598, factoid=0.507, typed_gap=-1.242
    )
    min_answerable: float = Field(0.4, ge=0.0, le=1.0)
    names_in_articles: bool = Field(
        True,
        description="a factoid's answer must come from articles that name, between them, every "
        "name the question names ('WhatsApp', 'CSTO'); none does: the articles don't say",
    )
    max_sentences: int = Field(2, ge=1, le=10)
    explain_sentences: int = Field(
        3,
        ge=1,
        le=10,
        description="a why/how/what answer's sentences at most: past max_sentences, only more "
        "of the best sentence's own passage",
    )
    keep_margin: float = Field(4.0, ge=0.0)
    list_margin: float = Field(3.0, ge=0.0)
    conflict_margin: float = Field(2.0, ge=0.0)
    name_conflict_margin: float = Field(
        2.5,
        ge=0.0,
        description="a factoid's best answer and another article's different one (neither "
        "article naming the other's) within this score of each other: the answer says the "
        "articles disagree and quotes both; 0 turns this off. The largest margin that raised "
        "no false disagreement on the tuning halves",
    )
    corroborate: bool = Field(
        True,
        description="a factoid whose answer's passages lack part of the question is searched "
        "again with its answer; another article's sentence naming the answer and holding the "
        "rest is cited too",
    )
    corroboration_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="the least share (by rarity) of the question's lacking terms the other "
        "article's passage must hold",
    )
    min_support: float = Field(0.5, ge=0.0, le=1.0)
    max_question_chars: int = Field(2000, ge=10)
    verifier: str = Field(
        "",
        description="a model ('local') asked whether the quotes state the answer; '' for none",
    )
    min_verified: float = Field(
        0.32, ge=0.0, le=1.0, description="the verifier's least P(yes) for an answer to stand"
    )


class LLMConfig(BaseModel):
    """Language-model answers: generation limits, provider timeouts, llama.cpp threads."""

    timeout_s: float = Field(60.0, gt=0)
    max_retries: int = Field(2, ge=0, le=10)
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(200, ge=16, le=4096)
    context_tokens: int = Field(4096, ge=512)
    threads: int = Field(2, ge=1)
    passage_chars: int = Field(1200, ge=100)
    output: Literal["text", "json"] = "json"  # JSON via a grammar: better on the question set
    reader_min_score: float = Field(1.0)  # `local`: a null reply keeps an answer this good
    reader_unheld_min_score: float = Field(-2.25)  # ...and an answer no sentence holds this good
    reader_vote_margin: float = Field(
        1.5,
        description="`local`: the extractive answer replaces the reader's factoid answer when "
        "its span scores this much above the reader's span (the extractive ranking's scores)",
    )
    reader_input: Literal["sentences", "passages"] = Field(
        "sentences", description="`local` reads the ranked dozen sentences or the top passages"
    )
    reader_passages: int = Field(4, ge=1, le=20, description="passages `local` reads")
    reader_passage_chars: int = Field(1000, ge=100, description="characters of each of them")
    reply_cache: Path | None = Field(
        None,
        description="a SQLite file keeping the llama.cpp model's replies by prompt and settings: "
        "a question asked again (an eval rerun, a settings sweep) is read back at once",
    )


class Settings(BaseSettings):
    """Every setting of newsqa, with its default."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSQA_",
        env_nested_delimiter="__",
        env_file=(PROJECT_ROOT / ".env", ".env"),
        extra="ignore",
        env_ignore_empty=True,
    )

    data_dir: Path = PROJECT_ROOT / ".newsqa"
    models_dir: Path | None = None  # default: $XDG_CACHE_HOME/newsqa/models, shared by all clones
    seeds_dir: Path = PROJECT_ROOT / "seeds" / "articles"
    model: str = "extractive"
    top_k: int = Field(5, ge=1, le=100)
    chunking: ChunkingConfig = ChunkingConfig()
    embedding: EmbeddingConfig = EmbeddingConfig()
    search: SearchConfig = SearchConfig()
    store: Literal["faiss", "milvus"] = "faiss"
    faiss: FaissConfig = FaissConfig()
    milvus: MilvusConfig = MilvusConfig()
    answer: AnswerConfig = AnswerConfig()
    reading: ReadingConfig = ReadingConfig()
    llm: LLMConfig = LLMConfig()
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    anthropic_api_key: SecretStr | None = None
    fallback: bool = True

    def store_config(self) -> StoreConfig:
        """The vector store the index uses, with each backend's settings."""
        return StoreConfig(backend=self.store, faiss=self.faiss, milvus=self.milvus)

    def local_models_dir(self) -> Path:
        """Where the bundled local model is assembled: `models_dir`, or the user's cache."""
        if self.models_dir is not None:
            return self.models_dir
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(cache) / "newsqa" / "models"
