"""Test-wide settings: Qt renders offscreen, hypothesis profiles for local runs and CI."""

import gc
import os
from collections.abc import Generator

import pytest
from hypothesis import settings

from tests.support.live_server import RUNNING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test's report carries the logs of the server processes still running, with their
    thread and task stacks (what a stuck server was waiting on)."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        for server in list(RUNNING):
            report.sections.append((f"server {server.base_url} log", server.diagnose()))
    return report


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Generator[None]:
    """Each test's unreachable objects are collected as it ends, while the Qt objects among them
    (reply, network manager, timers left in reference cycles) still have the app and loop they
    were made with. Left to the cyclic GC, they were freed at an arbitrary allocation inside a
    later test's Qt event processing, and a full run crashed there (SIGSEGV in pytest-qt's
    processEvents, at a place that moved with the set of tests collected)."""
    yield
    gc.collect()
