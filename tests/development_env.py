"""Loaded by pytest before Django's settings (``-p tests.development_env`` in pyproject.toml).

DEBUG is off unless set (tracker/settings.py fails safe); the tests run with the development
settings (DEBUG=1 at settings import: no HTTPS redirect, no secure-only cookies, the development
key), as ``make test`` does. pytest-django still turns DEBUG off while each test runs. Jobs run
eagerly unless a test session is given a broker on purpose (tests/imports/test_worker.py).
"""

import os

os.environ.setdefault("DEBUG", "1")
