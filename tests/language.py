"""What counts as English prose in text meant for Chinese readers."""

from __future__ import annotations

import re

__all__ = ["english_runs"]

# Three English words in a row; setting names (staff_total), file names and
# single code words (highs, cbc) inside a Chinese sentence are not prose.
_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def english_runs(text: str) -> list[str]:
    """Runs of three or more English words in ``text``."""
    return _RUN.findall(text)
