"""Issue 9, item 1: what the public sees is decided by the database, whatever any cache holds.

Several worker processes, each with its own local-memory cache or sharing a Redis, stop serving
a withdrawn release within a second of the withdrawal, and show a new one as fast; a Redis
restored from a snapshot taken before the withdrawal does not bring the release back.
"""

from contextlib import nullcontext

import pytest
from django.db import transaction

from core.cache import public_cache_bump, public_generation
from core.models import PublicGeneration
from myths import workflow
from tests.factories import UserFactory, published_release

from .servers import (
    committed_database_url,
    gunicorn,
    http_get,
    redis_server,
    wait_until,
)


def withdraw(release):
    publisher = UserFactory(role="publisher")
    workflow.release_withdraw(
        release=release, actor=publisher, comment="Withdrawn for legal reasons."
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_generation_commits_or_rolls_back_with_the_change():
    before = public_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        public_cache_bump()
        raise RuntimeError("the transition fails after its bump")
    assert public_generation() == before
    PublicGeneration.objects.all().delete()  # as after a flush: the next bump recreates the row
    assert public_generation() == 0
    assert public_cache_bump() == 1
    assert public_cache_bump() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_withdrawal_is_seen_by_every_worker_within_a_second(backend, settings, tmp_path):
    release = published_release(title="Harbour myths, withdrawn later")
    url = release.get_absolute_url()
    database = committed_database_url()
    with redis_server(tmp_path) if backend == "redis" else nullcontext() as redis:
        redis_url = redis.url if redis else None
        if redis:  # the withdrawing process shares the workers' Redis
            settings.CACHES = {
                "default": {
                    "BACKEND": "core.redis_cache.RedisCache",
                    "LOCATION": redis_url,
                }
            }
        with (
            gunicorn(DATABASE_URL=database, REDIS_URL=redis_url) as first,
            gunicorn(DATABASE_URL=database, REDIS_URL=redis_url) as second,
        ):
            workers = (first, second)
            for base in workers:  # each caches the page (twice: the second read is a hit)
                for _ in range(2):
                    assert http_get(base + url)[0] == 200
                    assert "Harbour myths, withdrawn later" in http_get(base + "/")[1]
            withdraw(release)  # in a third process: neither worker is told
            for base in workers:
                assert wait_until(lambda b=base: http_get(b + url)[0] == 404, seconds=1)
                assert "Harbour myths, withdrawn later" not in http_get(base + "/")[1]
            published_release(title="A new release, published now")
            for base in workers:
                assert wait_until(
                    lambda b=base: "A new release, published now" in http_get(b + "/")[1],
                    seconds=1,
                )


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_redis_restored_from_an_old_snapshot_brings_nothing_back(client, settings, tmp_path):
    release = published_release(title="Harbour myths, soon withdrawn")
    url = release.get_absolute_url()
    with redis_server(tmp_path) as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "core.redis_cache.RedisCache",
                "LOCATION": redis.url,
            }
        }
        assert client.get(url).status_code == 200
        assert "Harbour myths, soon withdrawn" in client.get("/").content.decode()
        redis.client().save()  # the snapshot, taken while the release was public
        cached = sorted(redis.client().keys("*public-page*"))
        assert len(cached) == 2

        withdraw(release)
        assert client.get(url).status_code == 404

        redis.stop()  # and the Redis comes back from the old snapshot
        redis.start()
        assert sorted(redis.client().keys("*public-page*")) == cached  # the old pages are back
        assert client.get(url).status_code == 404
        assert "Harbour myths, soon withdrawn" not in client.get("/").content.decode()
