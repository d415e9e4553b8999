"""Django's Redis cache, with one client object per connection pool instead of one per call.

`django.core.cache.backends.redis.RedisCacheClient.get_client` makes a new `redis.Redis` for each
operation, and each one builds its table of some 170 response callbacks: on a cold release page
that was a sixth of the time spent outside the database. A `redis.Redis` is safe to share
between threads (each command takes a connection from the pool), so each pool gets one, made on
first use. Everything else (pools, timeouts, serialisation) is Django's.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """CACHES["default"]["BACKEND"] = "core.redis_cache.RedisCache" (settings.py, REDIS_URL)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
