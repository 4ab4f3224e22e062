"""The sidebar's index panel: status line, uploads, removal and re-indexing with a progress bar.

The work is done by `app.library` (validation, trash folder) and `Engine.update_index`; this module
only lays out widgets and reports what happened. Each outcome is kept in `st.session_state` so it
survives the rerun that clears the upload box.
"""

import streamlit as st

from app.engine import Engine
from app.errors import AppError
from app.library import add_article, article_files, index_status, remove_article
from app.ui_common import escape, progress_bar
from retrieval.errors import RetrievalError
from retrieval.index import UpdateReport

UPLOAD_TYPES = ["txt", "md", "html", "htm"]


def index_panel(engine: Engine) -> None:
    """Status line and article management, in the sidebar."""
    st.subheader("Articles")
    try:
        index = engine.loaded_index()
        st.caption(escape(index_status(index).line()))
        if index.warning:
            st.warning(escape(index.warning))
    except (RetrievalError, OSError) as exc:
        st.error(escape(f"The index cannot be read: {exc}"))
        if st.button("Rebuild the index", key="rebuild"):
            _run(lambda: _reindex(engine, rebuild=True))
            st.rerun()
    for kind, text in st.session_state.pop("article_notices", []):
        getattr(st, kind)(escape(text))
    with st.expander("Manage articles"):
        _upload_box(engine)
        _remove_box(engine)
        if st.button("Re-index the folder", key="reindex"):
            _run(lambda: _reindex(engine))
            st.rerun()


def _upload_box(engine: Engine) -> None:
    round_ = st.session_state.setdefault("upload_round", 0)
    files = st.file_uploader(
        "Add articles (.txt, .md, .html)",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"uploads-{round_}",
    )
    if files and st.button("Add and re-index", key="add"):
        _run(lambda: _add_files(engine, files))
        st.session_state.upload_round = round_ + 1
        st.rerun()


def _add_files(engine: Engine, files) -> None:
    added = []
    for file in files:
        try:
            added.append(add_article(engine.settings.seeds_dir, file.name, file.getvalue()).name)
        except AppError as exc:
            _notice("error", str(exc))
    if added:
        _notice("success", f"Added {', '.join(added)}.")
        _reindex(engine)


def _remove_box(engine: Engine) -> None:
    names = [p.stem for p in article_files(engine.settings.seeds_dir)]
    doc_id = st.selectbox("Remove an article", names, index=None, key="remove_choice")
    if doc_id and st.button("Remove and re-index", key="remove"):
        settings = engine.settings
        _run(lambda: _remove(engine, remove_article(settings.seeds_dir, settings.data_dir, doc_id)))
        st.rerun()


def _remove(engine: Engine, moved_to) -> None:
    _notice("success", f"Removed; the file was moved to {moved_to}.")
    _reindex(engine, allow_remove=True)  # the user chose the article to remove


def _reindex(engine: Engine, rebuild: bool = False, allow_remove: bool = False) -> UpdateReport:
    with progress_bar("Reading the articles…", "Embedding {done}/{total} chunks") as advance:
        report = engine.update_index(rebuild=rebuild, progress=advance, allow_remove=allow_remove)
    for skipped in report.skipped:
        _notice("warning", f"Skipped {skipped.path}: {skipped.reason}")
    _notice("info", _summary(report))
    return report


def _summary(report: UpdateReport) -> str:
    if not report.wrote:
        return "The index is up to date."
    changes = [("added", report.added), ("changed", report.changed), ("removed", report.removed)]
    done = "; ".join(f"{label} {', '.join(ids)}" for label, ids in changes if ids)
    return f"Indexed {report.total_documents} articles ({report.total_chunks} chunks). {done}"


def _run(action) -> None:
    try:
        action()
    except (AppError, RetrievalError, OSError) as exc:
        _notice("error", str(exc))


def _notice(kind: str, text: str) -> None:
    st.session_state.setdefault("article_notices", []).append((kind, text))
