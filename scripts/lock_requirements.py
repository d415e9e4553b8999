"""Write requirements.lock: the exact versions of the project's dependencies in this venv.

Run it after the suite passed (`.venv/bin/python scripts/lock_requirements.py`): it walks
pyproject.toml's dependencies and test extras through the installed distributions' own
requirements, so the lock holds what was tested and nothing else installed by hand.
scripts/_bootstrap.sh installs with `pip install -c requirements.lock`.
"""

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# Exact versions the test suite last passed with (Python {python}, Linux); a constraints file.
# scripts/_bootstrap.sh installs with `pip install -c requirements.lock`; pyproject.toml keeps
# the ranges. Regenerate after upgrading and a green ./scripts/test:
#   .venv/bin/python scripts/lock_requirements.py
"""


def wanted(requirement: Requirement, extras: set[str]) -> bool:
    """Whether a requirement applies on this platform, for the extras asked of its parent."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": e}) for e in {"", *extras})


def installed_closure(roots: list[Requirement]) -> dict[str, tuple[str, str]]:
    """{canonical name: (name, version)} of every installed distribution the roots need."""
    found: dict[str, tuple[str, str]] = {}
    extras_seen: dict[str, set[str]] = {}
    todo = list(roots)
    while todo:
        requirement = todo.pop()
        key = canonicalize_name(requirement.name)
        extras = set(requirement.extras)
        if key in found and extras <= extras_seen[key]:
            continue
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            sys.exit(
                f"{requirement.name} is required but not installed: install the project first."
            )
        extras_seen[key] = extras_seen.get(key, set()) | extras
        found[key] = (dist.metadata["Name"], dist.version)
        todo += [
            sub for sub in map(Requirement, dist.requires or []) if wanted(sub, extras_seen[key])
        ]
    return found


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["test"]
    closure = installed_closure([Requirement(line) for line in lines])
    python = ".".join(map(str, sys.version_info[:2]))
    pins = [f"{name}=={version}" for _key, (name, version) in sorted(closure.items())]
    (ROOT / "requirements.lock").write_text(HEADER.format(python=python) + "\n".join(pins) + "\n")


if __name__ == "__main__":
    main()
