"""Streamlit-only helpers: cached loaders, session state, widgets and map rendering."""

__all__: list[str] = []
