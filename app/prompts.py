"""Prompt templates kept as files in `prompts/`, loaded by name with their variables checked."""

from functools import cache

from langchain_core.prompts import PromptTemplate

from app.errors import AppError
from app.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"
VARIABLES = {
    "system": {"sentinel"},
    "answer": {"sources", "question", "sentinel"},
    "answer_json": {"sources", "question", "sentinel"},
    "rewrite": {"history", "question"},
    "judge": {"question", "facts", "answer"},
    "reader_system": set(),
    "reader": {"sentences", "question"},
    "reader_passages_system": set(),
    "reader_passages": {"passages", "question"},
    "verify_system": set(),
    "verify": {"question", "text", "proposed"},
}


@cache
def load_prompt(name: str) -> PromptTemplate:
    """The template `prompts/{name}.txt`; its variables must be exactly the expected ones."""
    path = PROMPTS_DIR / f"{name}.txt"
    if name not in VARIABLES or not path.is_file():
        raise AppError(f"prompt template {name!r} not found in {PROMPTS_DIR}")
    template = PromptTemplate.from_file(path, encoding="utf-8")
    found = set(template.input_variables)
    if found != VARIABLES[name]:
        raise AppError(
            f"prompt {path} uses variables {sorted(found)}, expected {sorted(VARIABLES[name])}"
        )
    return template
