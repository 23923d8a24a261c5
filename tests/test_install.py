"""What ``pip install .`` (and so the Docker image) installs works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the project's wheel installed (not editable),
    its dependencies borrowed from the test environment through a .pth file."""
    tmp = tmp_path_factory.mktemp("install")
    wheels = tmp / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(wheels), str(ROOT)], check=True, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=600,
                   stdout=subprocess.DEVNULL)
    return venv


def test_eval_without_an_argument_works_after_pip_install(installed: Path,
                                                          tmp_path: Path) -> None:
    env = {**os.environ, "BLUEBOOK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([installed / "bin" / "bluebook-bot", "eval", "--json"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    # 0 when the set's floor holds, 1 below it (see the README): either way it ran.
    assert done.returncode in (0, 1), done.stderr
    assert '"top1": ' in done.stdout and '"quotes": ' in done.stdout
    where = subprocess.run([installed / "bin" / "python", "-c",
                            "from bot.storage.shipped import shipped_eval_set; "
                            "print(shipped_eval_set())"], cwd=tmp_path, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert where.startswith(str(installed)) and where.endswith("eval/seed_quotes.yaml")
