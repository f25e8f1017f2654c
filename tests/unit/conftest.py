"""The unit layer: pure modules, no database. A test here that asks for the database fails at collection."""

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "client", "admin_client", "live_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/unit/" not in str(item.fspath):
            continue
        if DATABASE_FIXTURES & set(item.fixturenames) or item.get_closest_marker("django_db"):
            raise pytest.UsageError(f"{item.nodeid} uses the database: it belongs in tests/integration")
