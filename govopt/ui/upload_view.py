"""Data page pieces: receive an upload, show its validation table, offer templates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from govopt.data.errors import DataError
from govopt.data.schema import TABLES
from govopt.data.upload import save_upload, upload_types
from govopt.i18n import Lang, fmt_mb_pair, t
from govopt.output.problem_text import describe_problem, report_frame, report_summary
from govopt.ui import session
from govopt.ui.widgets import download, escape_md, table

__all__ = ["UPLOAD_TYPES", "receive_upload", "template_downloads", "validation_view"]

UPLOAD_TYPES: tuple[str, ...] = upload_types()


def receive_upload(files: Sequence[Any], lang: Lang) -> Path | None:
    """Save uploaded files (once per content); return the dataset folder, or show why not."""
    limit = session.max_upload_bytes()
    total = sum(int(f.size) for f in files)
    if total > limit:
        size, shown_limit = fmt_mb_pair(total, limit)
        st.error(t("da.too_large", lang, size=size, limit=shown_limit))
        return None
    parts = [(str(f.name), bytes(f.getvalue())) for f in files]
    try:
        return save_upload(parts, session.data_home(), max_bytes=limit)
    except DataError as exc:
        st.error(t("da.upload_refused", lang))
        st.markdown("\n".join(f"- {escape_md(describe_problem(p, lang))}" for p in exc.problems))
        return None


def validation_view(folder: Path, lang: Lang) -> bool:
    """Show every problem found in ``folder``; return whether it can be used."""
    from govopt.data.validate import validate_folder

    report = validate_folder(folder)
    if report.ok:
        st.success(t("da.valid", lang, summary=report_summary(report, lang)))
    else:
        st.error(t("da.invalid", lang, summary=report_summary(report, lang)))
    if report.problems:
        table(report_frame(report, lang), lang)
    return report.ok


def template_downloads(lang: Lang) -> None:
    """Empty template of every file, generated from the schema, and all of them as a zip."""
    from govopt.data.templates import template_bytes, templates_zip

    cols = st.columns(3)
    for i, (name, spec) in enumerate(TABLES.items()):
        filename, data = template_bytes(name)
        with cols[i % 3]:
            mime = "application/geo+json" if filename.endswith("json") else "text/csv"
            download("da.template", data, filename, mime, lang, f"tpl_{name}", name=filename)
            st.caption(spec.meaning_zh if lang != "en" else spec.meaning)
    download(
        "da.templates_zip", templates_zip(), "templates.zip", "application/zip", lang, "da_zip"
    )
