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
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == quick_start()[1]


def test_dev_py_runs_with_the_standard_library_alone():
    """-I -S: no site-packages, no user site, no PYTHONPATH: what a fresh machine has before any install."""
    result = subprocess.run([sys.executable, "-I", "-S", str(ROOT / "dev.py"), "--help"], capture_output=True,
                            text=True, timeout=30)
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
    dev.PYTHON.touch()  # an environment exists
    monkeypatch.setattr(dev.subprocess, "run", fake_run)
    dev._ensure_venv("test")
    dev._ensure_venv("test")
    dev._ensure_venv("")  # the [test] install includes the plain one
    assert installs == [[".[test]"]]
    (dev.ROOT / "pyproject.toml").write_text("[project]\nname = 'x'\ndependencies = ['y']\n")
    dev._ensure_venv("")  # a changed pyproject installs again
    assert installs == [[".[test]"], ["."]]
