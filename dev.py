#!/usr/bin/env python3
"""Run Lightstick from a checkout with nothing but Python 3.11+: ``python3 dev.py playground`` or ``python3 dev.py test``.

Creates ``.venv/`` beside this file on first use (so Debian's and Homebrew's "externally managed" Pythons,
PEP 668, are never touched), installs the project into it with pip, and installs again only when
pyproject.toml changes. Then:

    python3 dev.py test [pytest args]   ruff check, ruff format --check, mypy, then pytest on every core
                                         (what .ci/run runs)
    python3 dev.py <subcommand> [args]   python -m bot <subcommand> ...  (playground, check, ingest, run, sync)

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".lightstick-installed"


def _fail(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr)
    raise SystemExit(1)


def _has_pip() -> bool:
    """Whether .venv has pip (Windows: Lib/site-packages; elsewhere lib/pythonX.Y/site-packages)."""
    return (VENV / "Lib" / "site-packages" / "pip").is_dir() or any(VENV.glob("lib*/python*/site-packages/pip"))


def _ensure_venv(extra: str) -> None:
    """Make .venv and install the project (with ``extra``) unless it is already installed for this pyproject."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before anything checks the version
        _fail(f"Lightstick needs Python 3.11 or newer; this is {sys.version.split()[0]} ({sys.executable})")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    done = [line for line in (STAMP.read_text().splitlines() if STAMP.exists() else []) if line.endswith(digest)]
    installed = {line.split(" ")[0] for line in done}
    if PYTHON.exists() and (extra in installed or (not extra and installed)):  # [test] includes the plain install
        return
    if not PYTHON.exists() or not _has_pip():  # no pip: a first run that stopped half-way (no python3-venv)
        print(f"dev.py: creating a virtual environment in {VENV}", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (OSError, subprocess.CalledProcessError, SystemExit) as error:  # Debian's venv exits without ensurepip
            why = "" if isinstance(error, SystemExit) else f" ({error})"
            _fail(
                f"could not create {VENV}{why}; on Debian or Ubuntu install the venv module first: "
                "sudo apt install python3-venv"
            )
    print(f"dev.py: installing Lightstick{'[' + extra + ']' if extra else ''} into {VENV} (once)", file=sys.stderr)
    target = f".[{extra}]" if extra else "."
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore"}
    result = subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "-e", target], cwd=ROOT, env=env)
    if result.returncode != 0:
        _fail(f"pip could not install the project into {VENV} (see above); is the package index reachable?")
    STAMP.write_text("\n".join([*done, f"{extra} {digest}"]) + "\n")


def _run(*argv: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run([str(PYTHON), *argv], cwd=ROOT, env=env).returncode


def _pytest_argv(args: list[str]) -> list[str]:
    """pytest's arguments: the tests spread over the cores with pytest-xdist (``-n``, at most 8 workers; none on
    one core), each worker stealing from the others when it runs dry (``--dist worksteal``: a few tests take
    seconds, most milliseconds), unless ``args`` choose (``-n``, ``--numprocesses``, ``-p no:xdist``)."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a.endswith("no:xdist") for a in args)
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    spread = [] if chosen or workers < 2 else ["-n", str(workers), "--dist", "worksteal"]
    return ["-m", "pytest", *spread, *args]


def _pytest_env() -> dict[str, str]:
    """The environment for pytest. Where PYTHONDONTWRITEBYTECODE keeps bytecode out of the source tree, it goes
    to .venv/pycache instead (PYTHONPYCACHEPREFIX), never beside the sources. Without any cache every worker,
    every ``python -m bot`` a test starts and every bot a test starts compiles the sources again (discord.py's
    load_extension runs each cog module afresh): measured 2026-11-30, 45 ms of each bot start and 0.2 s of
    each ``python -m bot``."""
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", "") and "PYTHONPYCACHEPREFIX" not in env:
        env["PYTHONPYCACHEPREFIX"] = str(VENV / "pycache")
        if not (VENV / "pycache").exists():
            _seed_pycache(VENV / "pycache")
    return env


def _seed_pycache(prefix: Path) -> None:
    """Start a new PYTHONPYCACHEPREFIX with the bytecode already compiled beside the standard library and
    .venv's packages (hard links where it can, else copies), so a first run does not compile them all again in
    each worker. Python still checks every file against its source, as in any cache."""
    script = "import sys, sysconfig as s; print(sys.implementation.cache_tag, s.get_path('stdlib'), s.get_path('purelib'), sep=chr(10))"
    try:
        found = subprocess.run([str(PYTHON), "-c", script], capture_output=True, text=True)
    except OSError:
        return
    if found.returncode != 0:
        return
    tag, *roots = found.stdout.splitlines()
    for root in map(Path, roots):
        for pyc in root.rglob(f"__pycache__/*.{tag}.pyc"):
            target = prefix / pyc.parent.parent.relative_to(pyc.anchor) / pyc.name  # as importlib names it
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(pyc, target)
                except OSError:
                    shutil.copyfile(pyc, target)
            except OSError:
                pass  # a file not seeded is compiled on first use, as without a seed


def main(args: list[str]) -> int:
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if args else 2
    if args[0] == "test":
        _ensure_venv("test")
        for step in (
            ("-m", "ruff", "check", "bot", "tests", "dev.py"),
            ("-m", "ruff", "format", "--check", "bot", "tests", "dev.py"),
            ("-m", "mypy"),
        ):
            print(f"$ {' '.join(step[1:])}", file=sys.stderr, flush=True)
            if (code := _run(*step)) != 0:
                return code
        return _run(*_pytest_argv(args[1:]), env=_pytest_env())
    _ensure_venv("")
    return _run("-m", "bot", *args)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
