"""An S3 API server (moto in server mode) on 127.0.0.1 for the whole session, and a bucket of
each test's own behind Django's default storage."""

import importlib.util
import os
import subprocess
import sys
import uuid

import pytest

from pressdesk.settings import s3_storage
from tests.faults.servers import free_port, running

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    """The base URL of a moto S3 server started for this session."""
    if importlib.util.find_spec("moto") is None:
        if os.environ.get("CI"):
            pytest.fail("moto[server] is missing: the object-storage tests cannot run in CI")
        pytest.skip("moto[server] is not installed (pip install -e '.[test]')")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"

    def up():
        try:
            return s3_client(endpoint).list_buckets() is not None
        except Exception:
            return False

    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with running(command, ready=up, name="the moto S3 server", **quiet):
        yield endpoint


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **KEYS)


@pytest.fixture
def s3(settings, monkeypatch, s3_endpoint):
    """Django's default storage on a fresh bucket of the moto server, configured as production
    configures it (PRESSDESK_S3_*); yields a boto3 client to look inside the bucket."""
    bucket = f"pressdesk-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=bucket)
    monkeypatch.setenv("PRESSDESK_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("PRESSDESK_S3_REGION", REGION)
    monkeypatch.setenv("PRESSDESK_S3_ACCESS_KEY_ID", KEYS["aws_access_key_id"])
    monkeypatch.setenv("PRESSDESK_S3_SECRET_ACCESS_KEY", KEYS["aws_secret_access_key"])
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket)}
    client.bucket = bucket
    return client
