import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """People are made for many clock tests; their passwords are beside the point here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
