"""Settings for the test suite: the real settings with SOLIDAR_TESTING on."""

import os

os.environ["SOLIDAR_TESTING"] = "1"
os.environ.setdefault(
    "SOLIDAR_DATA_KEYS",
    "test1:" + "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0"[:43],
)
# Parallel workers share one Redis (when REDIS_URL is set): give each its own key space.
os.environ.setdefault(
    "SOLIDAR_CACHE_PREFIX", "solidar-test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
)
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)

from solidar.settings import *  # noqa: E402, F403

# A test-only app with an encrypted field (no migrations: the test runner creates its table).
INSTALLED_APPS = [*INSTALLED_APPS, "solidar.core.tests.crypto_app"]  # noqa: F405
