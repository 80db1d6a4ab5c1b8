"""``--cpu-report N``: where the suite's CPU goes, per test file, shared fixture and test.

The budget of issue 12 is CPU time (user + sys of everything the run starts), not wall
time: a test that waits costs nothing, a browser that redraws a map does. Each process of
the run measures itself (``getrusage(RUSAGE_SELF)``), its reaped children
(``RUSAGE_CHILDREN``) and its live descendants (``/proc/<pid>/stat``): Chromium, the
Playwright driver and a session's servers are reaped only when they stop, so without the
live ones a browser's whole session would land on the last test that closes it.

Chromium's browser process ends before its zygotes, which carry the CPU of every renderer
they reaped; orphaned, they are reaped by init, and that CPU is seen neither by
``getrusage`` nor by ``/usr/bin/time`` (a third of a browser test's). With the option
each test process is their subreaper, so they are counted here and by ``/usr/bin/time``.

Every CPU second is charged to exactly one owner, the innermost that was running: a
module- or session-scoped fixture's setup or teardown, a ``charged(label)`` block (a
database template, made once for every test file), else the test file; and to the
program that used it. Under pytest-xdist each worker sends its share to the controller
(``workeroutput``), which adds them up and prints the top N of each kind;
``--cpu-report-json PATH`` also writes them for comparing two runs. Without the option
nothing is measured.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import time
from collections import defaultdict

import pytest

TICK = os.sysconf("SC_CLK_TCK")
STARTUP = "(worker start-up and collection)"
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
SELF = "(the pytest processes themselves)"
ENDED = "(child processes that ended between two samples: short-lived ones)"
_meter: _Meter | None = None


def _own_cpu() -> float:
    """This process and its reaped children: user + sys seconds."""
    own, reaped = (resource.getrusage(who) for who in
                   (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime


def _stat(pid: int) -> tuple[int, float, int, bytes, str] | None:
    """(parent pid, user + sys seconds of the process and its reaped children, its start
    time — a pid and a start time name one process —, its state (b"Z": a zombie), its
    program's name)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            data = file.read()
    except OSError:
        return None
    end = data.rindex(b")")
    name, fields = data[data.index(b"(") + 1:end], data[end + 2:].split()
    return (int(fields[1]), sum(map(int, fields[11:15])) / TICK, int(fields[19]), fields[0],
            name.decode(errors="replace"))


def _adopt_orphans() -> None:
    """Make this process the subreaper of its descendants. Chromium's browser process ends
    before its zygotes, which hold the CPU of every renderer they reaped: orphaned, they
    would be reaped by init and their CPU lost to ``getrusage`` and to ``/usr/bin/time``."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


class _Descendants:
    """The CPU of this process's live descendants: a sample reads the stat of the known
    ones and of the processes that are new since the last sample (pids are reused:
    pid_max may be 32768).

    A descendant that ends is reaped by its parent, which then carries its CPU, or by this
    process (``RUSAGE_CHILDREN``). An orphan that came to this process (``_adopt_orphans``)
    is reaped here once it has ended: nothing else waits for it."""

    def __init__(self) -> None:
        self.known: dict[int, tuple] = {}  # pid -> its stat at the last sample
        self.listed: set[int] = set()  # the pids of the last sample
        self.programs: dict[str, float] = defaultdict(float)  # name -> CPU while seen

    def reap_orphans(self, everything: bool = False) -> None:
        """Reap the ended orphans (``everything``: every ended child, at the very end)."""
        me = os.getpid()
        for pid, (parent, _cpu, start, _state, _name) in self.known.items():
            now = _stat(pid)
            if now is not None and now[0] == me and now[2] == start and now[3] == b"Z" \
                    and (everything or parent != me):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)

    def cpu(self) -> float:
        try:  # no child at all (the usual case): nothing to read
            os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            self.known = {}
            return 0.0
        pids = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        stats = {pid: found for pid in set(self.known) | (pids - self.listed)
                 if (found := _stat(pid)) is not None}
        children = defaultdict(list)
        for pid, found in stats.items():
            children[found[0]].append(pid)
        before, self.known, parents = self.known, {}, [os.getpid()]
        while parents:  # a descendant's parent is this process or a known or new one
            for pid in children.pop(parents.pop(), ()):
                self.known[pid] = stats[pid]
                parents.append(pid)
        self.listed = pids
        self._credit(before)
        return sum(found[1] for found in self.known.values())

    def _credit(self, before: dict[int, tuple]) -> None:
        """Credit each program with what its processes used since the last sample. One
        that ended moved its CPU into its parent's: taken back from the parent's program."""
        def same(pid: int, stat: tuple) -> bool:
            return pid in before and before[pid][2] == stat[2]

        for pid, stat in self.known.items():
            self.programs[stat[4]] += stat[1] - (before[pid][1] if same(pid, stat) else 0.0)
        for pid, stat in before.items():
            parent = self.known.get(stat[0])
            if not same(pid, self.known.get(pid, (0, 0, -1))) and parent is not None:
                self.programs[parent[4]] -= stat[1]


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
        self.descendants.reap_orphans()  # their CPU moves into RUSAGE_CHILDREN
        now_cpu = _own_cpu() + self.descendants.cpu()
        now_wall = time.monotonic()
        owner = self.stack[-1]
        # Not clamped at 0: a descendant reaped between two reads is missing from one
        # sample and back (in its parent's) in the next, which must not count it twice.
        self.cpu[owner] += now_cpu - self.last_cpu
        self.wall[owner] += now_wall - self.last_wall
        self.last_cpu, self.last_wall = now_cpu, now_wall

    def push(self, owner: str) -> None:
        self.sample()
        self.stack.append(owner)

    def pop(self) -> None:
        self.sample()
        self.stack.pop()

    def share(self) -> dict:
        """This process's report, once the tests are done."""
        self.sample()
        self.descendants.reap_orphans(everything=True)
        self.sample()
        programs = dict(self.descendants.programs)
        own = resource.getrusage(resource.RUSAGE_SELF)
        programs[SELF] = own.ru_utime + own.ru_stime
        programs[ENDED] = sum(self.cpu.values()) - sum(programs.values())
        return {"cpu": dict(self.cpu), "wall": dict(self.wall), "tests": dict(self.tests),
                "programs": programs}


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
        config._cpu_shares = []
        _adopt_orphans()
        _meter = _Meter()


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
    config = session.config
    if not hasattr(config, "_cpu_shares"):
        return
    if hasattr(config, "workerinput"):
        config.workeroutput["cpu_report"] = json.dumps(_meter.share())
    elif config._cpu_shares:  # the xdist controller: its own CPU (its children are the workers)
        own = resource.getrusage(resource.RUSAGE_SELF)
        seconds = own.ru_utime + own.ru_stime
        config._cpu_shares.append({"cpu": {"(xdist controller)": seconds},
                                   "programs": {SELF: seconds}})
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
    total: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
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
    for title, values in (("tests that took the most CPU (with their fixtures)", "tests"),
                          ("programs that used it", "programs")):
        largest = sorted(total[values].items(), key=lambda kv: kv[1], reverse=True)[:top]
        tr.write_line(f"-- the {len(largest)} {title}:")
        for key, seconds in largest:
            tr.write_line(f"{seconds:8.1f}  {key}")
