"""The evaluation page: run a question set through a model with a progress bar, then read the
metrics (overall and per kind) and a per-question table that can be narrowed to the failures.

The scoring is `app.evaluation`, the same code as `python -m app eval`.
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from app.engine import Engine
from app.errors import AppError
from app.evaluation import QuestionOutcome, evaluate, load_questions, summarise
from app.ui_common import escape, get_engine, passages_slider, pick_model, progress_bar
from retrieval.errors import RetrievalError

HEADLINE = {
    "accuracy": "Accuracy",
    "citation_precision": "Citation precision",
    "abstain_recall": "Abstention recall",
    "false_abstain_rate": "False abstentions",
    "recall_at_k": "Retrieval recall",
    "latency_p50_s": "Latency p50 (s)",
}


def question_sets(engine: Engine) -> list[Path]:
    """The `.jsonl` question sets beside the articles folder (the shipped one first)."""
    folder = engine.settings.seeds_dir.parent
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def run(engine: Engine, path: Path, model: str, k: int) -> None:
    questions = load_questions(path)
    with progress_bar(f"0/{len(questions)} questions", "{done}/{total} questions") as advance:
        outcomes = evaluate(engine, questions, model, k, on_progress=advance)
    st.session_state.evaluation = {"model": model, "set": path.name, "outcomes": outcomes}


def show_metrics(outcomes: list[QuestionOutcome]) -> None:
    metrics = summarise(outcomes)
    columns = st.columns(len(HEADLINE))
    for column, (key, label) in zip(columns, HEADLINE.items(), strict=True):
        value = metrics["overall"][key]
        column.metric(label, "n/a" if value is None else f"{value:.2f}")
    by_kind = pd.DataFrame(metrics["by_kind"]).T[["n", *HEADLINE]]
    st.dataframe(by_kind.rename(columns=HEADLINE), width="stretch")


def question_table(outcomes: list[QuestionOutcome], failures_only: bool) -> pd.DataFrame:
    rows = [
        {
            "id": o.id,
            "kind": o.kind,
            "question": o.question,
            "answer": o.answer,
            "passed": o.passed,
            "citations": ", ".join(c["chunk_id"] for c in o.citations),
            "seconds": round(o.seconds, 2),
        }
        for o in outcomes
        if not (failures_only and o.passed)
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "question", "answer", "passed", "citations",
                                       "seconds"])  # fmt: skip


def main() -> None:
    st.title("Evaluation")
    engine = get_engine()
    sets = question_sets(engine)
    if not sets:
        st.info(escape(f"No question set (*.jsonl) found in {engine.settings.seeds_dir.parent}."))
        st.stop()
    path = st.selectbox("Question set", sets, format_func=lambda p: p.name, key="eval_set")
    model = pick_model(engine.settings, key="eval_model")
    k = passages_slider(engine.settings, key="eval_k")
    if st.button("Run evaluation", type="primary", key="eval_run"):
        try:
            run(engine, path, model, k)
        except (AppError, RetrievalError, OSError) as exc:
            st.error(escape(str(exc)))
    if done := st.session_state.get("evaluation"):
        st.subheader(escape(f"{done['model']} on {done['set']}"))
        show_metrics(done["outcomes"])
        failures_only = st.toggle("Failures only", key="eval_failures")
        st.dataframe(question_table(done["outcomes"], failures_only), width="stretch")


main()
