from django.core.exceptions import PermissionDenied
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from concordat.errors import NotAllowed, RuleViolation, StaleObject


def exception_handler(exc, context):
    """Return domain errors as JSON that names the field and the clause."""
    if isinstance(exc, RuleViolation):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotAllowed):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, StaleObject):
            code = status.HTTP_409_CONFLICT
        return Response({"errors": [p.as_dict() for p in exc.problems]}, status=code)
    if isinstance(exc, PermissionDenied) and str(exc):
        return Response({"errors": [{"field": None, "clause": None, "message": str(exc)}]},
                        status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
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
