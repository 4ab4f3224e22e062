"""Plain-text and JSON renderings of results for the terminal."""

import json
import re
import textwrap
from pathlib import Path

from app.answering import AnswerResult, passage_out
from retrieval.index import UpdateReport
from retrieval.search import Passage


def index_report(report: UpdateReport, data_dir: Path) -> str:
    """What an index update did, in a few lines."""
    lines = [f"skipped {s.path}: {s.reason}" for s in report.skipped]
    if not report.wrote:
        lines.append(f"index up to date: {len(report.unchanged)} documents unchanged ({data_dir})")
        return "\n".join(lines)
    lines.append(
        f"indexed {report.total_documents} documents, {report.total_chunks} chunks "
        f"in {report.seconds:.1f}s -> {data_dir}"
    )
    for label, ids in (
        ("added", report.added),
        ("changed", report.changed),
        ("removed", report.removed),
        ("unchanged", report.unchanged),
    ):
        if ids:
            lines.append(f"  {label} {len(ids)}: {_some(ids)}")
    cached = f", {report.chunks_cached} from the embedding cache" if report.chunks_cached else ""
    lines.append(f"  embedded {report.chunks_embedded} chunks{cached}")
    lines += [f"warning: {warning}" for warning in report.warnings]
    return "\n".join(lines)


def _some(ids: list[str], most: int = 10) -> str:
    """Up to `most` ids, then how many more (a bulk import names thousands)."""
    more = f", … and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(ids[:most]) + more


def dump_models(items: list) -> str:
    """A list of pydantic models as indented JSON."""
    return json.dumps(
        [item.model_dump(mode="json") for item in items], indent=2, ensure_ascii=False
    )


def search_json(passages: list[Passage]) -> str:
    return json.dumps([passage_out(p).model_dump() for p in passages], ensure_ascii=False, indent=2)


def search_text(passages: list[Passage]) -> str:
    if not passages:
        return "no passages found"
    blocks = []
    for rank, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        head = f"{rank}. {chunk.chunk_id}  score {passage.score:.3f}  {chunk.title or ''}"
        blocks.append(head + "\n" + textwrap.indent(textwrap.shorten(chunk.text, 400), "   "))
    return "\n\n".join(blocks)


def answer_text(result: AnswerResult) -> str:
    lines = [textwrap.fill(line, 100) for line in result.answer.splitlines()] + [""]
    if result.abstained:
        if result.abstain_reason:
            lines[-1:] = [textwrap.fill(f"Why: {result.abstain_reason}.", 100), ""]
        lines.append("Closest passages:")
        lines += [f"  - {p.chunk_id}: {textwrap.shorten(p.text, 160)}" for p in result.passages[:3]]
        return "\n".join(lines)
    lines.append("Sources:")
    for c in result.citations:
        lines.append(
            f"  [{c.n}] {c.title or c.doc_id} ({c.article_date}) {c.chunk_id}"
            + (f", also in {', '.join(c.copies)}" if c.copies else "")
        )
        lines.append(textwrap.indent(textwrap.fill(f"“{c.quote}”", 96), "      "))
    return "\n".join(lines)


METRIC_COLUMNS = (
    "n",
    "recall_at_k",
    "mrr",
    "accuracy",
    "citation_precision",
    "cited_sentence_share",
    "abstain_precision",
    "abstain_recall",
    "false_abstain_rate",
    "short_answer_em",
    "factoid_words_p50",
    "latency_p50_s",
    "latency_p95_s",
)


def metrics_table(document: dict) -> str:
    """Evaluation metrics as a table: one row per kind, then the overall row."""
    metrics = document["metrics"]
    rows = [*metrics["by_kind"].items(), ("overall", metrics["overall"])]
    header = f"{'kind':<13}" + "".join(f"{_short(c):>10}" for c in METRIC_COLUMNS)
    lines = [f"model {document['model']} on {document['n']} questions", header]
    for kind, values in rows:
        lines.append(
            f"{kind:<13}" + "".join(f"{format_cell(values.get(c)):>10}" for c in METRIC_COLUMNS)
        )
    return "\n".join(lines)


def _short(column: str) -> str:
    return {
        "recall_at_k": "recall@k",
        "citation_precision": "cite_prec",
        "cited_sentence_share": "cited_sh",
        "judge_accuracy": "judge_acc",
        "abstain_precision": "abst_P",
        "abstain_recall": "abst_R",
        "false_abstain_rate": "false_ab",
        "short_answer_em": "short_EM",
        "factoid_words_p50": "fact_words",
        "latency_p50_s": "p50_s",
        "latency_p95_s": "p95_s",
    }.get(column, column)


def format_cell(value) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


# what an article may hold that a terminal would obey: escape sequences (colours, titles,
# cursor moves), other control characters (not tab, newline or the progress bars' \r), and marks
# that reverse the text's direction
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def terminal_safe(text: str) -> str:
    """`text` without what would make a terminal do more than show it."""
    return _ESCAPES.sub("", text)


class TerminalSafe:
    """A text stream that writes everything through `terminal_safe` (the CLI's stdout and
    stderr: answers, passages and error messages quote article text)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
