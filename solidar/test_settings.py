"""Settings for the test suite: the real settings with SOLIDAR_TESTING on."""

import os

os.environ["SOLIDAR_TESTING"] = "1"
os.environ.setdefault(
    "SOLIDAR_DATA_KEYS",
    "test1:" + "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0"[:43],
)
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)

from solidar.settings import *  # noqa: E402, F403
