"""The `<id:...>` path converter: a whole number that can be one of our ids. Longer numbers are no id of ours and
answer 404 at the URL, before anything reaches the database. Importing this module registers it (once)."""

from django.urls import register_converter

from concordat.limits import ID_PATTERN


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
