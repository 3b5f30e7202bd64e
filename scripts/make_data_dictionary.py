"""Write ``docs/data-dictionary.md`` from ``govopt/data/schema.py``."""

from __future__ import annotations

from pathlib import Path

from govopt.data.templates import data_dictionary_markdown

__all__ = ["OUT", "main"]

OUT = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"


def main() -> None:
    """Regenerate the data dictionary."""
    OUT.write_text(data_dictionary_markdown(), encoding="utf-8", newline="\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
