"""``--cpu-report N``: where the suite's CPU goes, per test file, shared fixture and test.

The budget of issue 12 is CPU time (user + sys of everything the run starts), not wall
time: a test that waits costs nothing, a browser that redraws a map does. Each process of
the run measures itself (``getrusage(RUSAGE_SELF)``), its reaped children
(``RUSAGE_CHILDREN``) and its live descendants (``/proc/<pid>/stat``): Chromium, the
Playwright driver and a session's servers are reaped only when they stop, so without the
live ones a browser's whole session would land on the last test that closes it.

Every CPU second is charged to exactly one owner, the innermost that was running: a
module- or session-scoped fixture's setup or teardown, a ``charged(label)`` block (a
database template, made once for every test file), else the test file. Under pytest-xdist
each worker sends its share to the controller (``workeroutput``), which adds them up and
prints the top N of each kind; ``--cpu-report-json PATH`` also writes them for comparing
two runs. Without the option nothing is measured.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import time
from collections import defaultdict

import pytest

TICK = os.sysconf("SC_CLK_TCK")
STARTUP = "(worker start-up and collection)"
_meter: _Meter | None = None


def _own_cpu() -> float:
    """This process and its reaped children: user + sys seconds."""
    own, reaped = (resource.getrusage(who) for who in
                   (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + sys seconds of the process and its reaped children)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            data = file.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()  # after "pid (name) "
    return int(fields[1]), sum(map(int, fields[11:15])) / TICK


class _Descendants:
    """The CPU of this process's live descendants. New processes get higher pids, so a
    sample reads the known descendants' stat and only the pids above the highest seen."""

    def __init__(self) -> None:
        self.known: dict[int, float] = {}  # pid -> its CPU at the last sample
        self.highest = 0

    def cpu(self) -> float:
        try:  # no child at all (the usual case): nothing to read
            os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            self.known.clear()
            return 0.0
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
        if pids and max(pids) < self.highest:  # pids wrapped: look at every process
            self.highest = 0
        ours, alive = {os.getpid()}, {}
        for pid in sorted(set(self.known) | {p for p in pids if p > self.highest}):
            found = _stat(pid)
            if found is not None and found[0] in ours:  # parents have lower pids
                ours.add(pid)
                alive[pid] = found[1]
        self.highest = max(pids, default=self.highest)
        self.known = alive
        return sum(alive.values())


class _Meter:
    """Charges the CPU between two samples to the owner on top of the stack."""

    def __init__(self) -> None:
        self.descendants = _Descendants()
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.tests: dict[str, float] = defaultdict(float)
        self.stack = [STARTUP]
        self.last_cpu, self.last_wall = 0.0, time.monotonic()  # CPU from the process start

    def sample(self) -> None:
        now_cpu = _own_cpu() + self.descendants.cpu()
        now_wall = time.monotonic()
        owner = self.stack[-1]
        self.cpu[owner] += max(0.0, now_cpu - self.last_cpu)
        self.wall[owner] += now_wall - self.last_wall
        self.last_cpu, self.last_wall = now_cpu, now_wall

    def push(self, owner: str) -> None:
        self.sample()
        self.stack.append(owner)

    def pop(self) -> None:
        self.sample()
        self.stack.pop()

    def share(self) -> dict:
        self.sample()
        return {"cpu": dict(self.cpu), "wall": dict(self.wall), "tests": dict(self.tests)}


@contextlib.contextmanager
def charged(label: str):
    """Charge what runs inside to ``label`` (e.g. a template every test file shares)."""
    if _meter is None:
        yield
        return
    _meter.push(f"shared: {label}")
    try:
        yield
    finally:
        _meter.pop()


def pytest_addoption(parser):
    group = parser.getgroup("cpu report")
    group.addoption("--cpu-report", type=int, default=0, metavar="N",
                    help="measure the CPU of each test file, shared fixture and test "
                         "(children included) and list the N largest of each")
    group.addoption("--cpu-report-json", default=None, metavar="PATH",
                    help="with --cpu-report: also write the whole report to PATH")


def pytest_configure(config):
    global _meter
    if config.getoption("cpu_report") and not hasattr(config, "_cpu_shares"):
        _meter = _Meter()
        config._cpu_shares = []


def _file(item) -> str:
    return item.nodeid.split("::")[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if _meter is None:
        yield
        return
    _meter.push(_file(item))
    before = _meter.last_cpu
    yield
    _meter.pop()
    _meter.tests[item.nodeid] += _meter.last_cpu - before


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if _meter is None or fixturedef.scope == "function":
        yield
        return
    name = f"fixture {fixturedef.argname} ({fixturedef.scope})"
    _meter.push(f"{name} setup")
    try:
        yield
    finally:
        _meter.pop()
    # Finalizers run last-in first-out: this one just before the fixture's own teardown,
    # pytest_fixture_post_finalizer just after it.
    fixturedef.addfinalizer(lambda: _meter and _meter.push(f"{name} teardown"))
    fixturedef._cpu_teardown = True


def pytest_fixture_post_finalizer(fixturedef, request):
    if _meter is not None and getattr(fixturedef, "_cpu_teardown", False):
        fixturedef._cpu_teardown = False
        _meter.pop()


def pytest_sessionfinish(session):
    if _meter is None:
        return
    config = session.config
    if hasattr(config, "workerinput"):
        config.workeroutput["cpu_report"] = json.dumps(_meter.share())
    elif config._cpu_shares:  # the xdist controller, its workers' shares in: its own CPU
        own = resource.getrusage(resource.RUSAGE_SELF)  # (its children are the workers)
        config._cpu_shares.append({"cpu": {"(xdist controller)": own.ru_utime + own.ru_stime}})
    else:
        config._cpu_shares.append(_meter.share())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    shares = getattr(node.config, "_cpu_shares", None)
    if shares is not None and "cpu_report" in getattr(node, "workeroutput", {}):
        shares.append(json.loads(node.workeroutput["cpu_report"]))


def pytest_terminal_summary(terminalreporter, config):
    shares = getattr(config, "_cpu_shares", None)
    if not shares:
        return
    total: dict[str, dict[str, float]] = {"cpu": defaultdict(float), "wall": defaultdict(float),
                                          "tests": defaultdict(float)}
    for share in shares:
        for kind, values in share.items():
            for key, value in values.items():
                total[kind][key] += value
    _print(terminalreporter, total, config.getoption("cpu_report"))
    if path := config.getoption("cpu_report_json"):
        with open(path, "w") as file:
            json.dump(total, file, indent=1, sort_keys=True)


def _print(tr, total: dict, top: int) -> None:
    cpu, wall = total["cpu"], total["wall"]
    whole = sum(cpu.values())
    tr.write_sep("=", f"CPU report: {whole:.1f} CPU-s in all (user + sys, children included)")
    kinds = {"test files": lambda k: not k.startswith(("fixture ", "shared: ", "(")),
             "shared fixtures and templates": lambda k: k.startswith(("fixture ", "shared: ")),
             "other": lambda k: k.startswith("(")}
    for title, wanted in kinds.items():
        keys = sorted((k for k in cpu if wanted(k)), key=cpu.get, reverse=True)
        tr.write_line(f"-- {title}: {sum(cpu[k] for k in keys):.1f} CPU-s in {len(keys)}; "
                      f"the {min(top, len(keys))} largest (CPU-s, wall s):")
        for key in keys[:top]:
            tr.write_line(f"{cpu[key]:8.1f} {wall.get(key, 0.0):8.1f}  {key}")
    tests = sorted(total["tests"].items(), key=lambda kv: kv[1], reverse=True)[:top]
    tr.write_line(f"-- the {len(tests)} tests that took the most CPU (with their fixtures):")
    for nodeid, seconds in tests:
        tr.write_line(f"{seconds:8.1f}  {nodeid}")
