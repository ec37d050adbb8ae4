"""Production's cache setup: Redis through ReusingRedisCache, sessions in cached_db.

Needs the Redis server every machine here runs (127.0.0.1:6379). Without it these tests
are skipped with a warning, except under CI=true, where a missing Redis is a failure.
"""

import os
import warnings

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import make_user

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
REDIS_CACHES = {
    "default": {
        "BACKEND": "crss_prep.redis_cache.ReusingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "crss-test",
    }
}


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable and CI=true requires it: {exc}")
        warnings.warn(f"Redis tests SKIPPED: {REDIS_URL} not reachable ({exc})", stacklevel=1)
        pytest.skip(f"SKIPPED LOUDLY: Redis at {REDIS_URL} is not reachable")
    with override_settings(CACHES=REDIS_CACHES):
        cache = caches["default"]
        cache.clear()
        yield cache
        cache.clear()


def test_values_round_trip_and_one_client_serves_every_call(redis_cache):
    redis_cache.set("answer", {"key": "b"}, timeout=30)
    assert redis_cache.get("answer") == {"key": "b"}
    assert redis_cache.get_many(["answer", "missing"]) == {"answer": {"key": "b"}}
    redis_cache.delete("answer")
    assert redis_cache.get("answer") is None
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)


@pytest.mark.django_db
def test_logout_ends_a_cached_db_session_everywhere(redis_cache):
    user = make_user("leaver")
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        assert client.get(reverse("quizzes:history")).status_code == 200
        client.post(reverse("logout"))

        replay = Client()
        replay.cookies["sessionid"] = cookie
        response = replay.get(reverse("quizzes:history"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
