"""Sweep the answer settings (sentence weights, abstention thresholds) on TUNING questions only.

    .venv/bin/python scripts/tune_answers.py [--set seeds=seeds/questions_tune.jsonl:seeds/articles]
        [--set wikinews=seeds/questions_wikinews_tune.jsonl:DIR] [--grid NAME=v1,v2 ...]
        [--model local] [--failures]

Each set is a tuning question file and the folder of articles it is about (indexed once into
`.newsqa/tune/<name>`). Search results are computed once per question, so a sweep re-reads the
same passages with each setting. A file whose name does not contain "tune" is refused: the
holdout and the Wikinews evaluation set must never be tuned on.
"""

import argparse
import itertools
import sys
from pathlib import Path

from app.answering import Answerer
from app.engine import Engine
from app.evaluation import load_questions, run_questions, summarise
from app.models import get_model
from app.settings import PROJECT_ROOT, Settings

DEFAULT_SETS = [
    f"seeds={PROJECT_ROOT}/seeds/questions_tune.jsonl:{PROJECT_ROOT}/seeds/articles",
]


class CachedSearcher:
    """A searcher that answers each (question, k, window) once."""

    def __init__(self, inner) -> None:
        self.inner, self.index, self.embedder = inner, inner.index, inner.embedder
        self.memo: dict = {}

    def search(self, question, k, mode=None, window=None):
        key = (question, k, mode, window.model_dump_json() if window else None)
        if key not in self.memo:
            self.memo[key] = self.inner.search(question, k, mode, window)
        return [p.model_copy(deep=True) for p in self.memo[key]]


def open_set(spec: str):
    name, _, paths = spec.partition("=")
    questions, _, articles = paths.partition(":")
    if "tune" not in Path(questions).name:
        sys.exit(f"refusing {questions}: only tuning question files may be tuned on")
    settings = Settings(data_dir=PROJECT_ROOT / ".newsqa" / "tune" / name, seeds_dir=articles)
    engine = Engine(settings)
    engine.update_index(progress=False)
    return name, engine, load_questions(Path(questions))


show_failures = False
answer_model = "extractive"


def run(engine: Engine, questions, overrides: dict) -> dict:
    settings = engine.settings.model_copy(deep=True)
    for dotted, value in overrides.items():
        section, field = dotted.split(".")
        setattr(getattr(settings, section), field, value)
    searcher = getattr(engine, "_cached", None) or CachedSearcher(engine.searcher())
    engine._cached = searcher
    answerer = Answerer(
        searcher, get_model(answer_model, settings), settings.answer, None, settings.reading
    )
    outcomes = run_questions(questions, lambda q: answerer.ask(q.question, 5, q.history))
    if show_failures:
        _print_failures(outcomes, questions)
    return summarise(outcomes)


def _print_failures(outcomes, questions) -> None:
    by_id = {q.id: q for q in questions}
    for o in outcomes:
        if o.passed:
            continue
        q = by_id[o.id]
        print(f"[{o.id} {q.kind}/{q.answer_type}] {q.question}\n   gold {q.facts}")
        print(f"   got  short={o.short_answer!r} :: {o.answer[:240]!r} {o.abstain_reason or ''}")


def read(engine: Engine, question):
    """What the answering core reads for one question: its analysis, the passages, the ranked
    sentences, and the index's document frequencies (search cached per engine)."""
    from app.nations import with_countries
    from app.reading import phrase_similarity, rank_sentences
    from app.rewrite import standalone_question
    from app.understanding import analyse
    from retrieval.timefilter import time_window

    searcher = getattr(engine, "_cached", None) or CachedSearcher(engine.searcher())
    engine._cached = searcher
    frequencies = searcher.index.lexical().document_frequencies
    standalone = standalone_question(question.question, question.history)
    passages = searcher.search(with_countries(standalone), 5, window=time_window(standalone))
    analysis = analyse(standalone)
    similar = getattr(engine, "_similar", None) or phrase_similarity(searcher.embedder.encode)
    engine._similar = similar
    settings = engine.settings
    answerer = Answerer(searcher, get_model("extractive", settings), settings.answer)
    allowed = answerer.names_check(analysis, passages)  # the candidates the engine would allow
    ranked = rank_sentences(analysis, passages, settings.reading, frequencies, similar, allowed)
    return analysis, passages, ranked, frequencies


def training_rows(engine: Engine, questions) -> tuple[list, list]:
    """(features, label) of every candidate span of factoid questions and (features, label) of
    every sentence of the others, over the answerable tuning questions."""
    from app.evaluation import facts_found, normalise

    spans, sentences = [], []
    for q in questions:
        if not q.answerable or not q.facts:
            continue
        analysis, _, ranked, _ = read(engine, q)
        aliases = [normalise(a) for group in q.facts for a in group]
        for r in ranked:
            if analysis.factoid:
                for span in r.spans:
                    said = normalise(span.text)
                    hit = any(a == said or a in said for a in aliases)
                    spans.append((q.id, span.features, hit))
            else:
                sentences.append((q.id, r.features, facts_found(r.text, q.facts)))
    return spans, sentences


def fit(rows, names, l2: float = 0.05) -> dict:
    """Weights that put a right candidate first within each question: a conditional logit
    (softmax over each question's candidates) fitted by L-BFGS, with an L2 penalty. The bias
    is then set so that a right answer scores above 0 (a logistic fit of the scores)."""
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression

    groups: dict[str, list] = {}
    for qid, features, label in rows:
        groups.setdefault(qid, []).append(([features[n] for n in names], label))
    data = [
        (np.array([f for f, _ in g]), np.array([lab for _, lab in g], dtype=bool))
        for g in groups.values()
        if any(lab for _, lab in g)
    ]

    def loss(w):
        total, grad = l2 * w @ w, 2 * l2 * w
        for x, y in data:
            s = x @ w
            p = np.exp(s - s.max())
            p_all = p / p.sum()
            p_pos = p[y] / p[y].sum()
            total -= np.log(p[y].sum() / p.sum())
            grad -= p_pos @ x[y] - p_all @ x
        return total / len(data), grad / len(data)

    w = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    x = np.array([[f[n] for n in names] for _, f, _ in rows])
    y = np.array([label for _, _, label in rows])
    calibrated = LogisticRegression().fit((x @ w)[:, None], y)
    scale, bias = float(calibrated.coef_[0][0]), float(calibrated.intercept_[0])
    return {"bias": round(bias, 3)} | {
        n: round(float(v) * scale, 3) for n, v in zip(names, w, strict=True)
    }


def answerability_rows(engine: Engine, questions) -> list:
    """(features, answerable) of every tuning question, as the answering core computes them."""
    from app.answering import answerability_features
    from app.evidence import missing_share

    rows = []
    for q in questions:
        analysis, passages, ranked, frequencies = read(engine, q)
        share, _ = missing_share(analysis, passages, frequencies)
        similarity = max((p.best_similarity for p in passages), default=0.0)
        rows.append((answerability_features(analysis, ranked, share, similarity), q.answerable))
    return rows


def fit_answerability(sets) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows = [r for _, engine, questions in sets for r in answerability_rows(engine, questions)]
    names = list(rows[0][0])
    x = np.array([[f[n] for n in names] for f, _ in rows])
    y = np.array([label for _, label in rows])
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    weights = dict(zip(names, (round(float(w), 3) for w in model.coef_[0]), strict=True))
    return {"bias": round(float(model.intercept_[0]), 3)} | weights


def fit_weights(sets) -> None:
    from app.reading import SENTENCE_FEATURES, SPAN_FEATURES

    spans, sentences = [], []
    for _, engine, questions in sets:
        a, b = training_rows(engine, questions)
        spans += a
        sentences += b
    print(
        f"{len(spans)} spans ({sum(r[2] for r in spans)} right), "
        f"{len(sentences)} sentences ({sum(r[2] for r in sentences)} right)"
    )
    print("span weights:", fit(spans, SENTENCE_FEATURES + SPAN_FEATURES))
    print("sentence weights:", fit(sentences, SENTENCE_FEATURES))
    print("answerability weights:", fit_answerability(sets))


def row(metrics: dict) -> str:
    o, kinds = metrics["overall"], metrics["by_kind"]
    fmt = lambda v: "  -  " if v is None else f"{v:.3f}"  # noqa: E731
    per_kind = " ".join(
        f"{k[:5]}={fmt(kinds[k]['accuracy'])}" for k in sorted(kinds) if k != "unanswerable"
    )
    return (
        f"acc {fmt(o['accuracy'])} abstR {fmt(o['abstain_recall'])} "
        f"falseAb {fmt(o['false_abstain_rate'])} EM {fmt(o['short_answer_em'])} | {per_kind}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", dest="sets")
    parser.add_argument("--grid", action="append", default=[], help="section.field=v1,v2")
    parser.add_argument("--failures", action="store_true", help="print the failed questions")
    parser.add_argument("--fit", action="store_true", help="fit the reading weights")
    parser.add_argument("--model", default="extractive", help="the answer model to run")
    args = parser.parse_args()
    global show_failures, answer_model
    show_failures, answer_model = args.failures, args.model
    sets = [open_set(spec) for spec in args.sets or DEFAULT_SETS]
    if args.fit:
        fit_weights(sets)
        return
    names = [g.split("=")[0] for g in args.grid]
    values = [[float(v) for v in g.split("=")[1].split(",")] for g in args.grid]
    for combo in itertools.product(*values) if values else [()]:
        overrides = dict(zip(names, combo, strict=True))
        label = " ".join(f"{n.split('.')[1]}={v}" for n, v in overrides.items()) or "defaults"
        for name, engine, questions in sets:
            print(f"{label:<50} {name:<9} {row(run(engine, questions, overrides))}", flush=True)


if __name__ == "__main__":
    main()
