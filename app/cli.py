"""The command line: `python -m app index | search | ask | timeline | eval`.

Domain errors become one line on stderr and a non-zero exit here, at the edge, and nowhere else:
exit 2 for bad input (empty question, unknown model, missing seeds folder, bad option), 1 for
other failures (a broken index, a failing model).
"""

import argparse
import json
import os
import sys
from functools import partial
from pathlib import Path

from app import evaluation, render, report
from app.answering import clean_question
from app.bench import result_table, run_bench
from app.engine import Engine, check_k
from app.errors import AppError, UsageError
from app.models import get_model
from app.models.chat import ChatAnswerModel
from app.rewrite import ChatTurn
from app.settings import PROJECT_ROOT, Settings
from app.timeline import timeline, timeline_text
from retrieval.errors import RetrievalError, SeedsNotFoundError
from retrieval.search import MODES, TimeWindow
from retrieval.temporal import date_bounds

DEFAULT_QUESTIONS = PROJECT_ROOT / "seeds" / "questions_holdout.jsonl"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line in one line, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `python -m app {self.prog.split()[-1]} --help`)")


def _folder(text: str) -> Path:
    """A folder argument: an empty one is refused (Path("") would be the working directory)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty folder name")
    return Path(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="app", description="Ask questions about news articles, with citations.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    index = commands.add_parser("index", help="build or update the index")
    index.add_argument("--seeds", type=_folder, help="folder of articles (default: seeds/articles)")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.add_argument(
        "--allow-remove",
        action="store_true",
        help="go ahead when the update removes more than half of the indexed articles",
    )
    search = commands.add_parser("search", help="retrieve passages for a question")
    ask = commands.add_parser("ask", help="answer a question with citations")
    ask.add_argument("--model", help="answer model name (default: setting NEWSQA_MODEL)")
    ask.add_argument("--history", type=Path, help="JSON list of earlier {role, content} turns")
    ask.add_argument("--stream", action="store_true", help="print the draft as it is written")
    ask.add_argument(
        "--no-fallback",
        action="store_true",
        help="fail instead of answering extractively when the model fails",
    )
    evaluate = commands.add_parser("eval", help="score answers on a question set")
    evaluate.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    evaluate.add_argument("--model", help="answer model name (default: setting NEWSQA_MODEL)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument("-k", type=int, help="number of passages (default: NEWSQA_TOP_K)")
    evaluate.add_argument("--out", type=Path, help="write results.json, report.md and charts here")
    evaluate.add_argument("--compare", nargs="+", metavar="MODEL", help="run several models")
    evaluate.add_argument(
        "--judge",
        metavar="MODEL",
        help="a language model that grades answers the fact matcher marks wrong",
    )
    for sub in (search, evaluate):
        sub.add_argument("--mode", choices=MODES, help="search mode (default: NEWSQA_SEARCH__MODE)")
    bench = commands.add_parser("bench", help="speed, recall and memory on a synthetic corpus")
    bench.add_argument("--size", type=_count, default=10_000, help="passages: 1000, 10k, 1M")
    bench.add_argument("--sample", type=_count, default=512, help="passages really embedded")
    bench.add_argument("--json", action="store_true", help="print JSON")
    events = commands.add_parser("timeline", help="dated events about a topic, oldest first")
    for sub in (search, ask, events):
        sub.add_argument("question", metavar="QUESTION" if sub is not events else "TOPIC")
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.add_argument("-k", type=int, help="number of passages (default: setting NEWSQA_TOP_K)")
        sub.add_argument(
            "--since",
            type=_day(0),
            help="only articles or events from this date on (2024, 2024-07 or 2024-07-03)",
        )
        sub.add_argument("--until", type=_day(1), help="only articles or events up to this date")
    return parser


def _count(text: str) -> int:
    """An argparse type: "10000", "10k", "1M" -> a positive count."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    try:
        value = int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count: {text!r} (use 10000, 10k or 1M)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _day(end: int):
    """An argparse type: "2024" / "2024-07" / "2024-07-03" to its first (0) or last (1) day."""

    def parse(text: str):
        try:
            return date_bounds(text.strip())[end]
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"not a date: {text!r} (use 2024, 2024-07 or 2024-07-03)"
            ) from None

    parse.__name__ = "date"
    return parse


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    sys.stdout, sys.stderr = render.TerminalSafe(sys.stdout), render.TerminalSafe(sys.stderr)
    try:
        return _main(argv, settings)
    finally:
        sys.stdout, sys.stderr = sys.stdout._stream, sys.stderr._stream


def _main(argv: list[str] | None, settings: Settings | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args, settings or Settings())
    except (AppError, RetrievalError) as exc:
        print(f"newsqa: error: {exc}", file=sys.stderr)
        return _exit_code(exc)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"newsqa: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsqa: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last guard: a bug must not show a traceback to a user
        if os.environ.get("NEWSQA_DEBUG"):
            raise
        print(
            f"newsqa: internal error: {type(exc).__name__}: {exc} "
            "(set NEWSQA_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 1


def _exit_code(exc: Exception) -> int:
    if isinstance(exc, SeedsNotFoundError):
        return 2
    return getattr(exc, "exit_code", 1)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    engine = Engine(settings)
    if args.command == "index":
        report = engine.update_index(
            args.seeds, rebuild=args.rebuild, allow_remove=args.allow_remove
        )
        print(render.index_report(report, settings.data_dir))
        return 0
    if args.command == "bench":
        result = run_bench(args.size, settings, engine.embedder, args.sample)
        print(result.model_dump_json(indent=2) if args.json else result_table(result))
        return 0
    _validate(args, settings)
    if getattr(args, "no_fallback", False):
        settings.fallback = False
    if getattr(args, "mode", None):
        settings.search.mode = args.mode
    _ensure_index(engine)
    if args.command == "eval":
        return _evaluate(engine, args)
    window = TimeWindow(since=args.since, until=args.until)
    if args.command == "search":
        passages = engine.search(args.question, args.k, window=window)
        print(render.search_json(passages) if args.json else render.search_text(passages))
    elif args.command == "timeline":
        found = timeline(engine, args.question, args.k or 20, window)
        print(render.dump_models(found) if args.json else timeline_text(found))
    else:
        target = sys.stderr if args.json else sys.stdout
        on_token = partial(_print_token, target=target) if args.stream else None
        result = engine.ask(args.question, args.model, args.k, args.history, on_token, window)
        if args.stream:
            print(file=target)
        if result.fallback:
            print(f"newsqa: warning: {_fallback_note(result)}", file=sys.stderr)
        print(result.model_dump_json(indent=2) if args.json else render.answer_text(result))
    return 0


def _fallback_note(result) -> str:
    """What the user is told when the chosen model failed and the extractive one answered."""
    return f"the model failed ({result.model_error}); this answer is the extractive model's"


def _validate(args: argparse.Namespace, settings: Settings) -> None:
    """Refuse bad input before anything slow (model loading, indexing) starts."""
    if getattr(args, "question", None) is not None:
        args.question = clean_question(args.question, settings.answer)
    if getattr(args, "k", None) is not None:
        check_k(args.k)
    if getattr(args, "since", None) and getattr(args, "until", None) and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    if args.command == "eval":
        limit = settings.answer.max_question_chars
        args.questions = evaluation.load_questions(args.questions, limit)
        _check_out(getattr(args, "out", None))
    if args.command == "ask":
        limit = HISTORY_TURN_FACTOR * settings.answer.max_question_chars
        args.history = load_history(args.history, limit) if args.history else []
    if args.command in ("ask", "eval"):
        for name in getattr(args, "compare", None) or [args.model or settings.model]:
            get_model(name, settings)


def _judge_model(name: str, settings: Settings) -> ChatAnswerModel:
    judge = get_model(name, settings)
    if not isinstance(judge, ChatAnswerModel):
        raise UsageError(f"--judge needs a language model, not {name!r}")
    return judge


HISTORY_BYTES = 1_000_000  # a --history file at most
HISTORY_TURNS = 200
HISTORY_TURN_FACTOR = 10  # a turn may be this many questions long: an answer with its quotes


def load_history(path: Path, turn_chars: int) -> list[ChatTurn]:
    """Read a `--history` file: a JSON list of {"role", "content"} turns, within limits."""
    try:
        if path.stat().st_size > HISTORY_BYTES:
            raise UsageError(f"history file {path} is over {HISTORY_BYTES:,} bytes")
        turns = json.loads(path.read_text(encoding="utf-8-sig"))
        history = [ChatTurn.model_validate(turn) for turn in turns]
    except OSError as exc:
        raise UsageError(f"cannot read history file {path}: {exc.strerror}") from None
    except (ValueError, TypeError, RecursionError) as exc:
        first = (str(exc) or "nested too deeply").splitlines()[0]
        raise UsageError(f"history file {path} is not a JSON list of turns: {first}") from None
    if len(history) > HISTORY_TURNS:
        raise UsageError(f"history file {path} has {len(history)} turns (at most {HISTORY_TURNS})")
    if long := next((t for t in history if len(t.content) > turn_chars), None):
        raise UsageError(
            f"history file {path} has a turn of {len(long.content):,} characters "
            f"(at most {turn_chars:,})"
        )
    return history


def _check_out(out: Path | None) -> None:
    """An `eval --out` folder must be one (made now): not found unusable after the run."""
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the --out folder {out}: {exc.strerror}") from None


def _print_token(piece: str, target) -> None:
    print(piece, end="", flush=True, file=target)


def _ensure_index(engine: Engine) -> None:
    if not engine.manager.exists():
        print(
            f"newsqa: no index yet, building it from {engine.settings.seeds_dir}", file=sys.stderr
        )
        report = engine.ensure_index()
        if report:
            print(render.index_report(report, engine.settings.data_dir), file=sys.stderr)
    if warning := engine.loaded_index().warning:
        print(f"newsqa: warning: {warning}", file=sys.stderr)


def _evaluate(engine: Engine, args: argparse.Namespace) -> int:
    questions = args.questions  # loaded by _validate
    models = args.compare or [args.model or engine.settings.model]
    judge = _judge_model(args.judge, engine.settings) if args.judge else None
    documents = []
    for model in models:
        outcomes = evaluation.evaluate(engine, questions, model, args.k)
        if judge:
            evaluation.judge_outcomes(outcomes, questions, judge)
        documents.append(evaluation.outcomes_json(model, outcomes))
    if args.json:
        print(evaluation.dump(documents[0] if len(documents) == 1 else {"runs": documents}))
    elif len(documents) > 1:
        print(report.compare_table(documents))
    else:
        print(render.metrics_table(documents[0]))
    if args.out:
        written = report.write_report(args.out, documents)
        print(f"wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return _failures(documents)


def _failures(documents: list[dict]) -> int:
    """Say which questions raised instead of answering; 1 when any did (the rest are scored)."""
    failed = [q for d in documents for q in d["questions"] if q.get("error")]
    for question in failed:
        print(f"newsqa: question {question['id']} failed: {question['error']}", file=sys.stderr)
    return 1 if failed else 0
