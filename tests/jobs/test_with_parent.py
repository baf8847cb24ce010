"""`chuangkou serve`/`demo` children (gunicorn, the task worker) stop when the supervisor is
killed outright (SIGKILL): they no longer keep the port and the queue (jobs.with_parent)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chuangkou.jobs import with_parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")

SLEEPER = "import time; time.sleep(300)"
SUPERVISOR = f"""
import sys
import django
django.setup()
from chuangkou.cli import _run_with_worker
sys.exit(_run_with_worker([sys.executable, "-c", {SLEEPER!r}], worker=False))
"""


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent (init) has not reaped it yet


def _wait(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_command_runs_through_the_module():
    assert with_parent.command(42, ["/bin/true", "-x"]) == [
        sys.executable,
        "-m",
        "chuangkou.jobs.with_parent",
        "42",
        "/bin/true",
        "-x",
    ]


def test_a_child_of_a_dead_parent_does_not_start():
    gone = subprocess.run(  # noqa: S603
        [*with_parent.command(2**22 + 7, [sys.executable, "-c", "print('ran')"])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert gone.returncode == 0 and "ran" not in gone.stdout


def test_the_children_stop_when_the_supervisor_is_killed(tmp_path):
    env = {**os.environ, "CHUANGKOU_DATA_DIR": str(tmp_path)}
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISOR], env=env)  # noqa: S603
    try:
        assert _wait(lambda: _children(supervisor.pid)), "the supervisor started no child"
        (child,) = _children(supervisor.pid)
        assert _wait(lambda: SLEEPER in Path(f"/proc/{child}/cmdline").read_text()), "no exec"
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait(timeout=30)
        assert _wait(lambda: not _alive(child)), "the child outlived its supervisor"
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for pid in _children(supervisor.pid):
            os.kill(pid, signal.SIGKILL)
