"""A request to stop a solve, set from any thread (a Cancel button, a page that was left)."""

from __future__ import annotations

import threading

__all__ = ["Cancel"]


class Cancel:
    """A thread-safe token: :meth:`set` asks the solve holding it to stop.

    The solver checks it between stages and, through HiGHS's interrupt
    callbacks, while it runs; a stopped solve returns a plan with status
    ``cancelled`` and no values.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        """Ask the solve to stop (idempotent)."""
        self._event.set()

    @property
    def is_set(self) -> bool:
        """Whether a stop was asked for."""
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a stop is asked for or ``timeout`` seconds pass; return :attr:`is_set`."""
        return self._event.wait(timeout)

    def __repr__(self) -> str:
        return f"Cancel(is_set={self.is_set})"
