from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from concordat.errors import NotAllowed, RuleViolation, StaleObject

# A body past Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, _NUMBER_FIELDS, _NUMBER_FILES), raised while DRF parses.
TOO_MUCH = {
    RequestDataTooBig: "The request body is too large.",
    TooManyFieldsSent: "The request has too many fields.",
    TooManyFilesSent: "The request has too many files.",
}


def exception_handler(exc, context):
    """Return domain errors as JSON that names the field and the clause."""
    if isinstance(exc, RuleViolation):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotAllowed):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, StaleObject):
            code = status.HTTP_409_CONFLICT
        return Response({"errors": [p.as_dict() for p in exc.problems]}, status=code)
    if isinstance(exc, tuple(TOO_MUCH)):
        # Django's own answer would be its HTML 400 page: say it in the API's error shape instead.
        message = next(words for kind, words in TOO_MUCH.items() if isinstance(exc, kind))
        return Response({"errors": [{"field": None, "clause": None, "message": message}]},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and str(exc):
        return Response({"errors": [{"field": None, "clause": None, "message": str(exc)}]},
                        status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)  # sets Retry-After on a 429
    if isinstance(exc, Throttled) and response is not None:
        wait = f" in {exc.wait:.0f} seconds" if exc.wait is not None else " later"
        response.data = {"errors": [{"field": None, "clause": None,
                                     "message": f"Too many requests from this token or person: try again{wait}."}]}
    if response is not None and isinstance(response.data, dict) and "errors" not in response.data:
        response.data = {"errors": _flatten(response.data)}
    return response


def _flatten(data, prefix=None):
    problems = []
    for key, value in data.items():
        field = None if key in ("detail", "non_field_errors") else (f"{prefix}.{key}" if prefix else key)
        if isinstance(value, dict):
            problems.extend(_flatten(value, field))
            continue
        for message in value if isinstance(value, list) else [value]:
            problems.append({"field": field, "clause": None, "message": str(message)})
    return problems
