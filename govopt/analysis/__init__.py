"""Descriptive analysis of a dataset or a plan: links, demand, coverage indicators,
district overview and plan comparison."""
