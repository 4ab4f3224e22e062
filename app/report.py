"""Evaluation reports on disk: results JSON, a Markdown report, and matplotlib charts."""

import json
from pathlib import Path

from app.answering import WEAK_ANSWER
from app.render import METRIC_COLUMNS, format_cell, metrics_table

KIND_ORDER = ("factoid", "multi_doc", "temporal", "followup", "unanswerable")


def write_report(out_dir: Path, documents: list[dict]) -> list[Path]:
    """Write `results.json`, `report.md` and the charts for one or more models' runs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "results.json"]
    payload = documents[0] if len(documents) == 1 else {"runs": documents}
    written[0].write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    charts = [
        _accuracy_chart(out_dir, documents),
        _latency_chart(out_dir, documents),
        _abstention_chart(out_dir, documents),
    ]
    report = out_dir / "report.md"
    report.write_text(_markdown(documents, charts), encoding="utf-8")
    return written + charts + [report]


def _markdown(documents: list[dict], charts: list[Path]) -> str:
    lines = ["# newsqa evaluation", ""]
    for document in documents:
        lines += [f"## Model `{document['model']}`", "", "```", metrics_table(document), "```", ""]
        lines += _abstention_table(document)
    lines += [f"![{chart.stem}]({chart.name})" for chart in charts] + [""]
    for document in documents:
        lines += _failures(document)
    return "\n".join(lines)


def _failures(document: dict) -> list[str]:
    wrong = [q for q in document["questions"] if _failed(q)]
    lines = [f"## Failures of `{document['model']}` ({len(wrong)})", ""]
    if not wrong:
        return lines + ["None.", ""]
    lines += ["| id | kind | question | answer |", "|---|---|---|---|"]
    for q in wrong:
        answer = q["answer"].replace("|", "\\|").replace("\n", " ")[:300]
        question = q.get("question", "").replace("|", "\\|")
        lines.append(f"| {q['id']} | {q.get('kind', '')} | {question} | {answer} |")
    return lines + [""]


def _failed(question: dict) -> bool:
    if question.get("answerable", True):
        return not question["correct"]
    return not question["abstained"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _accuracy_chart(out_dir: Path, documents: list[dict]) -> Path:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 4))
    kinds = [k for k in KIND_ORDER if any(k in d["metrics"]["by_kind"] for d in documents)]
    width = 0.8 / len(documents)
    for i, document in enumerate(documents):
        values = [_kind_score(document, kind) for kind in kinds]
        positions = [x + i * width for x in range(len(kinds))]
        axes.bar(positions, values, width=width, label=document["model"])
    axes.set_xticks([x + width * (len(documents) - 1) / 2 for x in range(len(kinds))], kinds)
    axes.set_ylim(0, 1)
    axes.set_ylabel("accuracy (abstention recall for unanswerable)")
    axes.set_title("Answer accuracy by question kind")
    axes.legend()
    return _save(plt, figure, out_dir / "accuracy_by_kind.png")


def _kind_score(document: dict, kind: str) -> float:
    metrics = document["metrics"]["by_kind"].get(kind, {})
    value = metrics.get("abstain_recall" if kind == "unanswerable" else "accuracy")
    return value or 0.0


def _latency_chart(out_dir: Path, documents: list[dict]) -> Path:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 4))
    for document in documents:
        seconds = [q["seconds"] for q in document["questions"] if "seconds" in q]
        axes.hist(seconds, bins=20, alpha=0.6, label=document["model"])
    axes.set_xlabel("seconds per question")
    axes.set_ylabel("questions")
    axes.set_title("Latency per question")
    axes.legend()
    return _save(plt, figure, out_dir / "latency.png")


def abstention_curve(questions: list[dict], steps: int = 20) -> list[tuple[float, float, float]]:
    """(threshold, abstention precision, abstention recall) as the answerability threshold
    goes from 0 to 1: a question abstains when another rule made it abstain, or when its
    confidence is below the threshold."""
    unanswerable = sum(1 for q in questions if not q.get("answerable", True))
    points = []
    for step in range(steps + 1):
        threshold = step / steps
        abstains = [q for q in questions if _abstains_at(q, threshold)]
        right = sum(1 for q in abstains if not q.get("answerable", True))
        precision = right / len(abstains) if abstains else 1.0
        recall = right / unanswerable if unanswerable else 0.0
        points.append((threshold, precision, recall))
    return points


def _abstains_at(question: dict, threshold: float) -> bool:
    by_rule = question["abstained"] and not (question.get("abstain_reason") or "").startswith(
        WEAK_ANSWER
    )
    return by_rule or question.get("confidence", 1.0) < threshold


def _abstention_table(document: dict) -> list[str]:
    lines = ["Abstention over the answerability threshold (NEWSQA_ANSWER__MIN_ANSWERABLE):", ""]
    lines += ["| threshold | precision | recall |", "|---|---|---|"]
    for threshold, precision, recall in abstention_curve(document["questions"], steps=10):
        lines.append(f"| {threshold:.1f} | {precision:.3f} | {recall:.3f} |")
    return lines + [""]


def _abstention_chart(out_dir: Path, documents: list[dict]) -> Path:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 5))
    for document in documents:
        points = abstention_curve(document["questions"])
        axes.plot(
            [r for _, _, r in points],
            [p for _, p, _ in points],
            marker="o",
            markersize=3,
            label=document["model"],
        )
        for threshold, precision, recall in points[::4]:
            axes.annotate(f"{threshold:.1f}", (recall, precision), fontsize=7)
    axes.set_xlabel("abstention recall (unanswerable questions abstained)")
    axes.set_ylabel("abstention precision")
    axes.set_xlim(0, 1.02)
    axes.set_ylim(0, 1.02)
    axes.set_title("Abstention over the answerability threshold")
    axes.legend()
    return _save(plt, figure, out_dir / "abstention.png")


def _save(plt, figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def compare_table(documents: list[dict]) -> str:
    """Several models' overall metrics and per-kind accuracy, side by side."""
    names = [d["model"] for d in documents]
    rows = [(c, [d["metrics"]["overall"].get(c) for d in documents]) for c in METRIC_COLUMNS]
    for kind in KIND_ORDER:
        metric = "abstain_recall" if kind == "unanswerable" else "accuracy"
        values = [d["metrics"]["by_kind"].get(kind, {}).get(metric) for d in documents]
        rows.append((f"{metric} {kind}", values))
    width = max(14, *(len(n) + 2 for n in names))
    lines = [f"{'metric':<28}" + "".join(f"{n:>{width}}" for n in names)]
    for label, values in rows:
        lines.append(f"{label:<28}" + "".join(f"{format_cell(v):>{width}}" for v in values))
    return "\n".join(lines)
