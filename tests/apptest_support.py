"""Running the dashboard under ``AppTest`` against the tiny dataset, and catching downloads."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

__all__ = ["APP", "MARKDOWN_NAME", "Downloads", "assert_literal", "new_app", "run"]

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30


# A scenario name that is Markdown: an image, bold text and an HTML tag.
MARKDOWN_NAME = "![x](http://127.0.0.1:9/x.png) **bold** <b>"
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def assert_literal(source: str, text: str) -> None:
    """``source`` (what Streamlit renders as Markdown) shows ``text`` as typed: no markup."""
    rendered = _MARKDOWN.render(source)
    for tag in ("<img", "<strong", "<em", "<a ", "<b>", "<code"):
        assert tag not in rendered, f"{tag} in {rendered!r}"
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert text in shown, f"{text!r} not shown in {shown!r}"


class Downloads(dict[str, bytes]):
    """Bytes handed to download buttons, by file name."""


def new_app(lang: str = "zh") -> AppTest:
    """The app, run once, in ``lang``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if lang == "en":
        at.radio(key="govopt_lang_widget").set_value("en").run()
    return at


def run(at: AppTest) -> AppTest:
    """Run again and fail on any exception shown by the page."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app_env(
    tiny_dataset_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point the app at the tiny dataset and a fresh home folder; yield the home folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("GOVOPT_DATA", str(tiny_dataset_dir))
    monkeypatch.setenv("GOVOPT_HOME", str(home))
    yield home


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Downloads:
    """Record every download button's bytes under its file name."""
    got = Downloads()
    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(
        self: MemoryMediaFileStorage,
        path_or_data: str | bytes,
        mimetype: str,
        kind: object,
        filename: str | None = None,
    ) -> str:
        if filename is not None and isinstance(path_or_data, bytes):
            got[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    add_deferred = MediaFileManager.add_deferred

    def made_on_click(
        self: MediaFileManager,
        data_callable: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **kwargs: Any,
    ) -> str:
        if file_name is not None:  # what pressing the button would download
            got[file_name] = data_callable()
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", made_on_click)
    return got
