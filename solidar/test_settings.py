"""Settings for the test suite: the real settings with SOLIDAR_TESTING on."""

import os
import tempfile
from pathlib import Path

os.environ["SOLIDAR_TESTING"] = "1"
os.environ.setdefault(
    "SOLIDAR_DATA_KEYS",
    "test1:" + "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0"[:43],
)
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)

from solidar.settings import *  # noqa: E402, F403

# A test-only app with an encrypted field (no migrations: the test runner creates its table).
INSTALLED_APPS = [*INSTALLED_APPS, "solidar.core.tests.crypto_app"]  # noqa: F405

# Parallel workers share one Redis (when REDIS_URL is set): each process gets its own key
# space. (Not through the environment: workers inherit the controller's variables.)
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"solidar-test-{os.getpid()}"  # noqa: F405

# WhiteNoise warns when STATIC_ROOT does not exist; tests never collect static files.
STATIC_ROOT = Path(tempfile.gettempdir()) / "solidar-test-static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)

# Mutual aid: a fixed codename key, and argon2id at its cheapest (the real costs are
# measured in bench/aid.py, not in every test).
SOLIDAR_AID_CODENAME_KEY = "test-codename-key-" + "y" * 32
SOLIDAR_AID_CODENAME_OPSLIMIT = 1
SOLIDAR_AID_CODENAME_MEMLIMIT = 8192
SOLIDAR_AID_PASSPHRASE_OPSLIMIT = 1
SOLIDAR_AID_PASSPHRASE_MEMLIMIT = 8192
SOLIDAR_AID_CHALLENGE_BITS = 4
SOLIDAR_AID_CHALLENGE_WAIT_SECONDS = 0
