"""Glossary: the terms behind the dashboard's numbers."""

from __future__ import annotations

from govopt.ui import glossary_view, session

lang = session.sidebar()
glossary_view.glossary(lang)
