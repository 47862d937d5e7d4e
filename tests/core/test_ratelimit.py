"""The small limiter over the cache: so many events per key and window, keys apart."""

from core import ratelimit


def test_events_beyond_the_limit_are_refused_per_key():
    allowed = [
        ratelimit.allow("test", "anna@example.org", limit=2, window_seconds=60) for _ in "xyz"
    ]
    assert allowed == [True, True, False]
    # Keys are compared casefolded, and another key has its own count.
    assert not ratelimit.allow("test", "ANNA@example.org", limit=2, window_seconds=60)
    assert ratelimit.allow("test", "boris@example.org", limit=2, window_seconds=60)
    assert ratelimit.allow("other-scope", "anna@example.org", limit=2, window_seconds=60)


def test_the_key_shows_no_address():
    key = ratelimit.cache_key("test", "anna@example.org\n")
    assert "anna" not in key and "\n" not in key
