"""``escape_md``: any user text shows literally wherever Streamlit renders Markdown."""

from __future__ import annotations

import html

import pytest
from apptest_support import MARKDOWN_NAME, assert_literal
from markdown_it import MarkdownIt

from govopt.ui.widgets import escape_md

SAMPLES = [
    MARKDOWN_NAME,
    "[click](http://127.0.0.1:9/)",
    "# 标题",
    "- not a list",
    "+ neither",
    "1. not ordered",
    "> not a quote",
    "a | b | c",
    "`code` and ``more``",
    "_under_ *star* ~~gone~~",
    "$x^2$",
    "&amp; &lt;",
    "back\\slash \\*",
    "tiny (2)",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_text_is_shown_as_typed(text: str) -> None:
    assert_literal(escape_md(text), text)
    assert_literal("- " + escape_md(text), text)  # inside a list item too


def test_line_breaks_cannot_start_a_block() -> None:
    assert_literal(escape_md("first\n# second\n\n- third"), "first # second  - third")


@pytest.mark.parametrize("path", ["/srv/_govopt_/home", "C:\\data\\a*b", "/x/`odd`/y"])
def test_paths_become_code_spans_with_every_character(path: str) -> None:
    rendered = MarkdownIt("commonmark").render(escape_md(path, code=True))
    assert rendered.startswith("<p><code>") and rendered.endswith("</code></p>\n")
    assert html.unescape(rendered[len("<p><code>") : -len("</code></p>\n")]) == path
