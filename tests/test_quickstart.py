"""The README's Quick start works on a stock Python (issue 9 item 1), and CI runs exactly its test command."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start() -> list[str]:
    """The commands in the README's Quick start code block, without their comments."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands_through_dev_py():
    assert quick_start() == ["python3 dev.py playground", "python3 dev.py test"]


def test_quick_start_never_installs_into_the_system_python():
    """Debian's and Homebrew's Pythons refuse `pip install` outside a virtual environment (PEP 668)."""
    assert not any("pip" in command for command in quick_start())


def test_ci_runs_exactly_the_readme_test_command():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == quick_start()[1]


def test_dev_py_runs_with_the_standard_library_alone():
    """-I -S: no site-packages, no user site, no PYTHONPATH: what a fresh machine has before any install."""
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(ROOT / "dev.py"), "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "python3 dev.py test" in result.stdout


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    venv = tmp_path / ".venv"
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "PYTHON", venv / "bin" / "python")
    monkeypatch.setattr(module, "STAMP", venv / ".lightstick-installed")
    return module


def test_dev_py_installs_once_per_pyproject(dev, monkeypatch):
    installs: list[list[str]] = []

    def fake_run(argv, **_kwargs):
        installs.append(argv[-1:])
        return subprocess.CompletedProcess(argv, 0)

    dev.PYTHON.parent.mkdir(parents=True)
    dev.PYTHON.touch()  # an environment exists, with pip in it
    (dev.VENV / "lib" / "python3.11" / "site-packages" / "pip").mkdir(parents=True)
    monkeypatch.setattr(dev.subprocess, "run", fake_run)
    dev._ensure_venv("test")
    dev._ensure_venv("test")
    dev._ensure_venv("")  # the [test] install includes the plain one
    assert installs == [[".[test]"]]
    (dev.ROOT / "pyproject.toml").write_text("[project]\nname = 'x'\ndependencies = ['y']\n")
    dev._ensure_venv("")  # a changed pyproject installs again
    assert installs == [[".[test]"], ["."]]


def test_dev_py_remakes_an_environment_left_without_pip(dev, monkeypatch):
    """Debian's venv stops after making .venv/bin/python when python3-venv (ensurepip) is missing. Once the
    user installs it and runs the Quick start again, dev.py remakes that half-made environment instead of
    calling its missing pip (and blaming the package index)."""
    made: list[bool] = []

    class FakeBuilder:
        def __init__(self, *, with_pip: bool, clear: bool = False) -> None:
            assert with_pip
            self.clear = clear

        def create(self, env_dir) -> None:
            made.append(self.clear)
            (env_dir / "lib" / "python3.11" / "site-packages" / "pip").mkdir(parents=True)

    installs: list[str] = []
    dev.PYTHON.parent.mkdir(parents=True)
    dev.PYTHON.touch()  # what the failed first run left: an interpreter, no pip
    monkeypatch.setattr(dev.venv, "EnvBuilder", FakeBuilder)
    monkeypatch.setattr(
        dev.subprocess, "run", lambda argv, **_: installs.append(argv[-1]) or subprocess.CompletedProcess(argv, 0)
    )
    dev._ensure_venv("")
    assert made == [True] and installs == ["."]


def test_dev_py_explains_a_missing_venv_module_in_its_own_line(dev, monkeypatch, capsys):
    """Debian's venv exits (SystemExit) when ensurepip is missing; dev.py still ends with its one line."""

    class DebianBuilder:
        def __init__(self, **_kwargs: object) -> None:
            pass

        def create(self, env_dir) -> None:
            raise SystemExit(1)

    monkeypatch.setattr(dev.venv, "EnvBuilder", DebianBuilder)
    with pytest.raises(SystemExit) as exit_info:
        dev._ensure_venv("")
    assert exit_info.value.code == 1
    assert "sudo apt install python3-venv" in capsys.readouterr().err.splitlines()[-1]


@pytest.mark.parametrize(
    ("cores", "args", "expected"),
    [
        (2, [], ["-m", "pytest", "-n", "2", "--dist", "worksteal"]),
        (64, ["-k", "songs"], ["-m", "pytest", "-n", "8", "--dist", "worksteal", "-k", "songs"]),
        (1, [], ["-m", "pytest"]),  # one core: no workers to start
        (2, ["-n", "0", "--pdb"], ["-m", "pytest", "-n", "0", "--pdb"]),  # the user's choice stands
        (2, ["-p", "no:xdist"], ["-m", "pytest", "-p", "no:xdist"]),
    ],
)
def test_dev_py_spreads_the_tests_over_the_cores(dev, monkeypatch, cores, args, expected):
    monkeypatch.setattr(dev.os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    monkeypatch.setattr(dev.os, "cpu_count", lambda: cores)
    assert dev._pytest_argv(args) == expected


def test_dev_py_keeps_bytecode_out_of_the_sources(dev, monkeypatch):
    """With PYTHONDONTWRITEBYTECODE the tests still get a bytecode cache, in .venv/pycache; without it Python's
    own __pycache__ folders are left to do their work."""
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = dev._pytest_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(dev.VENV / "pycache")
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE")
    env = dev._pytest_env()
    assert "PYTHONPYCACHEPREFIX" not in env and "PYTHONDONTWRITEBYTECODE" not in env
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", "/elsewhere")
    assert dev._pytest_env()["PYTHONPYCACHEPREFIX"] == "/elsewhere"  # a prefix the user chose stands


def test_dev_py_seeds_a_new_bytecode_cache_where_python_looks(dev, monkeypatch, tmp_path):
    """The bytecode beside the standard library and the packages is linked into the new cache under the name
    importlib gives it there, so a first run finds it instead of compiling everything again."""
    stdlib, purelib = tmp_path / "std lib", tmp_path / "site-packages"
    tag = sys.implementation.cache_tag
    monkeypatch.setattr(sys, "pycache_prefix", None)  # __pycache__ beside each source, as pip and Python make it
    for source in (stdlib / "json" / "__init__.py", purelib / "discord" / "client.py"):
        source.parent.mkdir(parents=True)
        source.write_text("x = 1\n")
        cached = importlib.util.cache_from_source(str(source))
        Path(cached).parent.mkdir()
        Path(cached).write_bytes(b"bytecode of " + source.name.encode())
    (purelib / "discord" / "__pycache__" / "client.cpython-0.pyc").write_bytes(b"another Python's")
    answer = f"{tag}\n{stdlib}\n{purelib}\n"
    monkeypatch.setattr(dev.subprocess, "run", lambda argv, **_: subprocess.CompletedProcess(argv, 0, answer, ""))
    prefix = tmp_path / "prefix"
    dev._seed_pycache(prefix)
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    for source in (stdlib / "json" / "__init__.py", purelib / "discord" / "client.py"):
        assert (
            Path(importlib.util.cache_from_source(str(source))).read_bytes() == b"bytecode of " + source.name.encode()
        )
    assert len(list(prefix.rglob("*.pyc"))) == 2  # only this Python's bytecode
