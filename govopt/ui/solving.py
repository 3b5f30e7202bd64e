"""A solve on a worker thread, so that the page's script thread stays free to show
progress and to notice when the planner cancels or leaves.

Streamlit stops a script run by raising an exception in its thread at the next
``st`` call (a rerun when a button is pressed, a stop when the page is left).
The script thread therefore only waits and redraws the progress while the
worker solves; whatever ends the wait, the worker's :class:`Cancel` token is set.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from govopt.optimize.cancel import Cancel
from govopt.plan import Plan

__all__ = ["Progress", "SolveJob", "Solved"]

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Solved:
    """What a job returns: the plan and the baseline it was compared with."""

    plan: Plan
    baseline: Plan | None


class SolveJob:
    """Run ``work(progress, cancel)`` on a daemon thread named ``govopt-solve``.

    ``stage``, ``share`` and ``elapsed`` describe where it is; :meth:`wait`
    returns once it is done or the timeout passed; :meth:`result` returns
    its value or raises its exception. :meth:`cancel` asks it to stop.
    """

    def __init__(self, work: Callable[[Progress, Cancel], Solved]) -> None:
        self.token = Cancel()
        self.stage = ""
        self.share = 0.0
        self._started = time.perf_counter()
        self._done = threading.Event()
        self._result: Solved | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(work,), name="govopt-solve", daemon=True
        )
        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is not None:  # the cached functions it calls look for the session's context
            add_script_run_ctx(self._thread, ctx)
        self._thread.start()

    def _progress(self, stage: str, share: float) -> None:
        self.stage, self.share = stage, share

    def _run(self, work: Callable[[Progress, Cancel], Solved]) -> None:
        try:
            self._result = work(self._progress, self.token)
        except BaseException as exc:  # handed to the script thread by result()
            self._error = exc
        finally:
            self._done.set()

    @property
    def elapsed(self) -> float:
        """Seconds since the job started."""
        return time.perf_counter() - self._started

    @property
    def done(self) -> bool:
        """Whether the work has returned or raised."""
        return self._done.is_set()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; return :attr:`done`."""
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Ask the solve to stop (it returns a cancelled plan soon after)."""
        self.token.set()

    def result(self) -> Solved:
        """The work's value once done; its exception is raised here."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
