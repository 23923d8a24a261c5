"""The lock files stay in step with pyproject.toml: every direct dependency is
pinned to one exact version that satisfies its bounds. Regenerate with
``bash .ci/lock``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
FIX = "the lock is out of step with pyproject.toml: run `bash .ci/lock`"
_PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", re.M)


def pins(name: str) -> dict[str, Version]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {canonicalize_name(n): Version(v) for n, v in _PIN_RE.findall(text)}


def direct(*extras: str) -> list[Requirement]:
    """The project's dependencies and those of *extras*, with self-references
    (``bluebook-bot[test]``) followed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = [Requirement(r) for r in project["dependencies"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in project["optional-dependencies"][extra]:
            req = Requirement(text)
            if canonicalize_name(req.name) == canonicalize_name(project["name"]):
                todo.extend(req.extras)
            else:
                out.append(req)
    return out


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ()),
                                              ("requirements-dev.lock", ("dev",))])
def test_every_direct_dependency_is_pinned_within_its_bounds(
        lock: str, extras: tuple[str, ...]) -> None:
    pinned = pins(lock)
    missing = [str(r) for r in direct(*extras) if canonicalize_name(r.name) not in pinned]
    assert not missing, f"{lock} lacks {', '.join(missing)}; {FIX}"
    outside = [f"{r.name}=={pinned[canonicalize_name(r.name)]} (wants {r.specifier})"
               for r in direct(*extras)
               if not r.specifier.contains(pinned[canonicalize_name(r.name)], prereleases=True)]
    assert not outside, f"{lock} pins {', '.join(outside)}; {FIX}"


def test_the_image_and_ci_run_the_same_versions() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    differ = [f"{n}: {v} vs {dev.get(n)}" for n, v in runtime.items() if dev.get(n) != v]
    assert not differ, f"the two locks disagree: {'; '.join(differ)}; {FIX}"


def test_the_lock_is_what_ci_and_the_image_install() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-r requirements-dev.lock" in ci and "--no-deps -e ." in ci
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "-r requirements.lock" in docker and "--no-deps ." in docker
