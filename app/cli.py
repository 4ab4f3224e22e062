"""The command line: `python -m app index | search | ask`.

Domain errors become one line on stderr and a non-zero exit here, at the edge, and nowhere else:
exit 2 for bad input (empty question, unknown model, missing seeds folder, bad option), 1 for
other failures (a broken index, a failing model).
"""

import argparse
import sys
from pathlib import Path

from app import render
from app.engine import Engine
from app.errors import AppError, UsageError
from app.models import get_model
from app.settings import Settings
from retrieval.errors import RetrievalError, SeedsNotFoundError
from retrieval.search import MODES


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line in one line, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `python -m app {self.prog.split()[-1]} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="app", description="Ask questions about news articles, with citations.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    index = commands.add_parser("index", help="build or update the index")
    index.add_argument("--seeds", type=Path, help="folder of articles (default: seeds/articles)")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    search = commands.add_parser("search", help="retrieve passages for a question")
    search.add_argument("--mode", choices=MODES, default="hybrid")
    ask = commands.add_parser("ask", help="answer a question with citations")
    ask.add_argument("--model", help="answer model name (default: setting NEWSQA_MODEL)")
    for sub in (search, ask):
        sub.add_argument("question")
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.add_argument("-k", type=int, help="number of passages (default: setting NEWSQA_TOP_K)")
    return parser


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args, settings or Settings())
    except (AppError, RetrievalError) as exc:
        print(f"newsqa: error: {exc}", file=sys.stderr)
        return _exit_code(exc)
    except KeyboardInterrupt:
        print("newsqa: interrupted", file=sys.stderr)
        return 130


def _exit_code(exc: Exception) -> int:
    if isinstance(exc, SeedsNotFoundError):
        return 2
    return getattr(exc, "exit_code", 1)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    engine = Engine(settings)
    if args.command == "index":
        report = engine.update_index(args.seeds, rebuild=args.rebuild)
        print(render.index_report(report, settings.data_dir))
        return 0
    if args.command == "ask":
        get_model(args.model or settings.model, settings)  # fail fast on an unknown name
    _ensure_index(engine)
    if args.command == "search":
        passages = engine.search(args.question, args.k, args.mode)
        print(render.search_json(passages) if args.json else render.search_text(passages))
    else:
        result = engine.ask(args.question, args.model, args.k)
        print(result.model_dump_json(indent=2) if args.json else render.answer_text(result))
    return 0


def _ensure_index(engine: Engine) -> None:
    if not engine.manager.exists():
        print(f"newsqa: no index yet, building it from {engine.settings.seeds_dir}", file=sys.stderr)
        report = engine.ensure_index()
        if report:
            print(render.index_report(report, engine.settings.data_dir), file=sys.stderr)
