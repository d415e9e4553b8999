"""The benchmark's trivial view (benchmarks/views.py) is routed only while the benchmark runs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "/benchmark/baseline/"


@pytest.mark.django_db
def test_the_baseline_view_is_not_routed_by_default(client, settings):
    assert settings.PRESSDESK_BENCHMARK is False
    with pytest.raises(Resolver404):
        resolve(BASELINE)
    assert client.get(BASELINE).status_code == 404


def test_the_benchmark_switch_routes_it():
    """The same address resolves once PRESSDESK_BENCHMARK is on: the test above can fail."""
    env = {**os.environ, "PRESSDESK_BENCHMARK": "1", "DJANGO_SETTINGS_MODULE": "pressdesk.settings"}
    script = (
        "import django; django.setup(); from django.urls import resolve; "
        f"print(resolve({BASELINE!r}).url_name)"
    )
    command = [sys.executable, "-c", script]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "benchmark-baseline", result.stderr
