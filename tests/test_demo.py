"""The whole demo, every app's part in order: it loads once, fast enough, and audits cleanly."""

import time

import pytest

from chuangkou.cli import main
from chuangkou.core.audit import verify_chain
from chuangkou.demo import is_loaded, load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_whole_demo_loads_once_and_the_audit_chain_holds(capsys):
    started = time.perf_counter()
    assert load_demo() is True
    first = time.perf_counter() - started
    assert is_loaded()

    started = time.perf_counter()
    assert load_demo() is False
    assert time.perf_counter() - started < 1.0, "re-running the demo must be quick"

    report = verify_chain()
    assert report.ok, report.reason
    assert main(["audit", "verify"]) == 0
    assert "审计日志完整" in capsys.readouterr().out
    print(f"demo loaded in {first:.1f} s")
