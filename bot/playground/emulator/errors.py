"""Discord's error answers: the exception handlers raise and the REST layer turns into a JSON body."""

from __future__ import annotations

from typing import Any, NamedTuple

from .limits import FormErrors


class Violation(NamedTuple):
    route: str
    body: Any
    error: dict


class ApiError(Exception):
    def __init__(self, status: int, body: dict, *, violation: bool = False):
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.violation = violation


def form_error(errs: FormErrors) -> ApiError:
    return ApiError(400, errs.to_body(), violation=True)


def unknown(what: str, code: int) -> ApiError:
    return ApiError(404, {"message": f"Unknown {what}", "code": code})


MISSING_PERMISSIONS = lambda: ApiError(403, {"message": "Missing Permissions", "code": 50013})  # noqa: E731
MISSING_ACCESS = lambda: ApiError(403, {"message": "Missing Access", "code": 50001})  # noqa: E731
