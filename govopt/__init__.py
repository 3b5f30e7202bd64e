"""govopt: coverage maps and optimal allocation for grid-based grassroots governance."""

__version__ = "0.1.0"
__all__ = ["__version__"]
