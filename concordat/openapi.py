"""The OpenAPI document says every answer an operation gives (issue 8): besides its success, each operation
documents the errors the service answers with, all in one shape ({"errors": [{field, clause, message}]})."""

from __future__ import annotations

ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {"type": "array", "items": {
        "type": "object",
        "required": ["field", "clause", "message"],
        "properties": {
            "field": {"type": "string", "nullable": True, "description": "The field at fault, if one is."},
            "clause": {"type": "string", "nullable": True, "description": "The protocol clause, e.g. §10."},
            "message": {"type": "string", "description": "What is wrong, in words to show a person."},
        },
    }}},
}
WORDS = {
    "400": "The input breaks a rule: each problem names its field and, where there is one, its clause.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this (the message says who may).",
    "404": "No such object, or not one you may see.",
    "409": "Someone changed the object since you loaded it: reload it and try again.",
    "429": "Too many requests from this token (or person, signed in): wait the seconds Retry-After gives.",
}
# A list answers 404 for a page it does not have (?page=0, ?page=99 past the last, ?page=x).
PAGE_NOT_FOUND = "No such page: ?page= counts from 1 up to the last page."
WRITES = {"post", "put", "patch", "delete"}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before the next request.",
                               "schema": {"type": "integer"}}}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERRORS
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["401", "403", "429"]  # 429: every operation is rate-limited (concordat.throttling)
            query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "{" in path or "page" in query:
                codes.append("404")
            if method in WRITES:
                codes += ["400", "409"]
            elif query - {"page"}:
                codes.append("400")  # a filter's value it cannot take (?state=nonsense)
            responses = operation.setdefault("responses", {})
            for code in codes:
                words = PAGE_NOT_FOUND if code == "404" and "{" not in path else WORDS[code]
                responses.setdefault(code, {"description": words, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}})
            responses["429"].setdefault("headers", RETRY_AFTER)
    return result
