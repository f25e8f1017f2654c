"""Settings for the crash tests (tests/slow, ADR 40): the production settings plus two test-only hooks, never
deployed. `X-Crash-After-Queries: N` makes the gunicorn worker serving that request SIGKILL itself just before its
Nth SQL statement; a slow email backend gives the Celery tests time to kill a worker mid-send."""

from concordat.settings import *  # noqa: F403
from concordat.settings import MIDDLEWARE

MIDDLEWARE = [*MIDDLEWARE, "tests.slow.crash.KillAtQueryMiddleware"]
EMAIL_BACKEND = "tests.slow.crash.SlowFileEmailBackend"
# Each test's cast is 20 people: Argon2 would spend most of the preparation hashing their passwords, which no crash
# test uses (the API calls carry tokens). A fast hasher, for this test-only settings module alone.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
