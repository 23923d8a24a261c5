"""The engine as it was before a change, to measure against in the same run.

``git archive REF bot`` is unpacked into a temporary folder with a copy of the
current ``bench/`` beside it, and the workers run there: ``python -m`` puts that
folder first on ``sys.path``, so ``import bot`` finds the old engine (the
editable install's finder comes after it). Nothing is installed or changed.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# main before issue #11: the pickle cache, BM25 in a Python loop, the bucketed spelling scan.
OLD_REF = "249a87e"


def checkout(ref: str, into: Path) -> Path:
    """*ref*'s ``bot/`` and the current ``bench/`` under *into*; returns *into*."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "bot"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    shutil.copytree(ROOT / "bench", into / "bench", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("data", "results", "__pycache__"))
    # The loop-lag bench and smoke imports need tests/fakediscord; the workers do not.
    return into
