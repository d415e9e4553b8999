"""Dependency floors are past known advisories, and a fresh machine installs what was tested.

pyproject.toml keeps ranges whose floors are past the advisories below; requirements.lock pins
every package the project and its tests need, at the versions this suite runs with, and
scripts/_bootstrap.sh installs with it as a constraints file.
"""

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# The oldest version of each that is past its published security fixes (as of this change):
# Django's latest 6.1 patch, WeasyPrint 70, gunicorn 23 (request smuggling), Pillow 11.3.
ADVISORY_FLOORS = {"django": "6.1.3", "weasyprint": "70", "gunicorn": "23.0", "pillow": "11.3"}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def declared() -> dict[str, Requirement]:
    lines = project()["dependencies"] + project()["optional-dependencies"]["test"]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _sep, pinned = line.partition("==")
            assert pinned, f"requirements.lock: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = pinned
    return pins


@pytest.mark.parametrize(("name", "floor"), ADVISORY_FLOORS.items())
def test_floor_is_past_the_advisories(name, floor):
    requirement = declared()[name]
    floors = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert floors and min(floors) >= Version(floor), f"{requirement} allows versions below {floor}"
    assert Version(version(name)) >= Version(floor)


def test_every_dependency_is_locked_within_its_range():
    pins = locked()
    for name, requirement in declared().items():
        assert name in pins, f"{name} is declared but not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement.specifier}"
        )


def test_the_lock_is_what_this_suite_runs_with():
    mismatched = {
        name: (pinned, version(name))
        for name, pinned in locked().items()
        if Version(version(name)) != Version(pinned)
    }
    assert not mismatched, (
        "installed versions differ from requirements.lock (locked, installed): "
        f"{mismatched}; run the suite, then scripts/lock_requirements.py"
    )


def test_bootstrap_installs_from_the_lock():
    bootstrap = (ROOT / "scripts" / "_bootstrap.sh").read_text()
    install_lines = [
        line for line in bootstrap.splitlines() if "pip install" in line and " -e " in line
    ]
    assert install_lines and all("-c requirements.lock" in line for line in install_lines)
    # A changed lock reinstalls, as a changed pyproject.toml does.
    assert "requirements.lock -nt" in bootstrap
