"""How long the `vault` CLI takes for a simple command on a local vault, and where the time goes.

    python bench/cli_startup_bench.py [--runs 7]

Each command runs --runs times as a fresh process (as a user or a script runs it); printed: the
median wall time and CPU time (user + sys, less swayed by other processes on a busy machine), next
to two floors measured the same way: a bare `python -c pass`, and Python importing SQLAlchemy's ORM
(the local vault's store needs it, so no command on a folder can start faster). Then the largest
imports of one command by `python -X importtime`. Goal (issue 8): <= 250 ms for a simple command.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(label: str, argv: list[str] | Callable[[int], list[str]], env: dict[str, str], runs: int) -> None:
    """``argv``, or a function of the run's number giving it (a command that must differ each time)."""
    samples = [timed(argv(run) if callable(argv) else argv, env) for run in range(runs)]
    wall = statistics.median(w for w, _ in samples)
    cpu = statistics.median(c for _, c in samples)
    print(f"  {label:<44} wall {wall * 1000:6.0f} ms   cpu {cpu * 1000:6.0f} ms")


def top_imports(argv: list[str], env: dict[str, str], count: int = 12) -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", *argv[1:]], env=env, capture_output=True,
                          text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            _label, _self_us, cumulative, name = line.split(":", 1)[0], *line.split(":", 1)[1].split("|")
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 1:  # top-level imports and their direct children: where to look first
                rows.append((int(cumulative), "  " * depth + name.strip()))
    print(f"largest imports of `{' '.join(argv[3:])}` (cumulative, -X importtime):")
    for cumulative, name in sorted(rows, reverse=True)[:count]:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VAULT", None)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        vault = str(Path(tmp) / "vault")
        cli = [python, "-m", "server_api.cli.vault", "--vault", vault]
        for setup in (["init"], ["collection", "create", "Rocks"]):
            subprocess.run([*cli, *setup], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs} runs")
        measure("floor: python -c pass", [python, "-c", "pass"], env, args.runs)
        measure("floor: python -c 'import sqlalchemy.orm'", [python, "-c", "import sqlalchemy.orm"], env,
                args.runs)
        commands = {
            "vault collection create NAME": lambda run: [*cli, "collection", "create", f"Bench {run}"],
            "vault collection list": [*cli, "collection", "list"],
            "vault ls --collection Rocks": [*cli, "ls", "--collection", "Rocks"],
            "vault --help": [*cli, "--help"],
        }
        for label, argv in commands.items():
            measure(label, argv, env, args.runs)
        top_imports([*cli, "collection", "list"], env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
