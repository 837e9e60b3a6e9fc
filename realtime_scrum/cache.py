"""Django's Redis cache backend, with one redis.Redis client per connection pool.

Django builds a new `redis.Redis` for every cache call (`RedisCacheClient.get_client`), and
redis-py 8's `Redis.__init__` (argument checks, a deprecation wrapper) was about 0.2 ms of
CPU per REST request in the B6 profile: every request reads the session state from the
cache. A client holds no connection of its own (its pool does, per command) and is safe to
share between threads, so one per pool serves the process."""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class _RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _RedisCacheClient
