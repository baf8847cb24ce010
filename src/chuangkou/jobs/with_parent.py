"""`python -m chuangkou.jobs.with_parent PARENT_PID COMMAND…`: run COMMAND so that it is stopped
(SIGTERM, its clean stop) when the process PARENT_PID dies, however it dies.

`chuangkou serve` and `demo` start gunicorn and the task worker in sessions of their own (so Ctrl+C
reaches only the supervisor, which stops each child once); a supervisor killed outright (SIGKILL,
the OOM killer) could not stop them, and they kept the port and the queue. On Linux the kernel
sends the signal (PR_SET_PDEATHSIG, which survives the exec); elsewhere COMMAND just runs. Kept
free of Django: it only sets the signal and execs.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def stop_with_parent(parent: int) -> None:
    """Ask for SIGTERM when the parent dies; exit at once when it has died already."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # it died before the signal was armed
        sys.exit(0)


def command(parent: int, argv: list[str]) -> list[str]:
    """`argv` run through this module, stopped with `parent`."""
    return [sys.executable, "-m", __name__, str(parent), *argv]


def main(args: list[str]) -> None:
    stop_with_parent(int(args[0]))
    os.execv(args[1], args[1:])  # noqa: S606 - the supervisor's own child command


if __name__ == "__main__":
    main(sys.argv[1:])
