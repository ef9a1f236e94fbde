"""The OpenAPI schema says what the API answers, errors included (DEFAULT_SCHEMA_CLASS).

Every operation gets the error answers its view can really give, inferred from the view once here
instead of repeated on each endpoint: 401 where it authenticates, 403 where a permission or the
session's CSRF check can refuse, 404 for a path with an id or a paginated list (a page out of
range), 400 for input, 429 where a throttle applies. Every 4xx body is one of two components:
`Error` (`{"detail": "..."}`) or, for 400, `ValidationError` (`detail` and/or messages per input
field). A view may still list a code to give it a description; the body is set here.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

# DRF's TimeField answers "07:30:00": an RFC 3339 partial-time, which JSON Schema's `time` format
# refuses (it requires an offset). Times of day are declared by pattern instead.
TIME_PATTERN = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

ERROR_SCHEMA = {
    "type": "object",
    "description": "Lỗi: thông báo tiếng Việt trong `detail`.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Dữ liệu không hợp lệ: `detail` (và `field`, trường liên quan) cho lỗi nghiệp vụ, "
        "hoặc danh sách thông báo theo từng trường nhập (`non_field_errors` cho lỗi chung)."
    ),
    "properties": {
        "detail": {"type": "string"},
        "field": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object"},
        ]
    },
}
DESCRIPTIONS = {
    "400": "Dữ liệu không hợp lệ",
    "401": "Chưa đăng nhập, hoặc token không hợp lệ",
    "403": "Không có quyền",
    "404": "Không tìm thấy (hoặc trang ngoài phạm vi)",
    "409": "Trạng thái không cho phép thao tác",
    "429": "Quá nhiều yêu cầu; thử lại sau số giây trong `Retry-After`",
}


class PortalAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] == "path" and schema.get("type") == "integer":
                schema["minimum"] = 0  # Django's <int:...> converter takes digits only
            if parameter["in"] == "query" and parameter["name"] == "page":
                schema["minimum"] = 1
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, {"description": DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.startswith("4"):
                self._error_body(code, response)
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        view = self.view
        codes = []
        authenticators = view.get_authenticators()
        if authenticators:
            codes.append("401")
        guarded = any(not isinstance(p, AllowAny) for p in view.get_permissions())
        csrf = self.method not in SAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators
        )
        if (authenticators and guarded) or csrf:
            codes.append("403")
        parameters = operation.get("parameters", [])
        if any(p["in"] == "path" for p in parameters) or any(
            p["in"] == "query" and p["name"] == "page" for p in parameters
        ):
            codes.append("404")
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if view.get_throttles():
            codes.append("429")
        return codes

    def _error_body(self, code: str, response: dict[str, Any]) -> None:
        name, schema = (
            ("ValidationError", VALIDATION_ERROR_SCHEMA)
            if code == "400"
            else ("Error", ERROR_SCHEMA)
        )
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        response["content"] = {"application/json": {"schema": component.ref}}
        if not response.get("description"):
            response["description"] = DESCRIPTIONS.get(code, "")
        if code == "429":
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Số giây cần chờ",
                }
            }

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "request" and isinstance(field, serializers.FileField):
            # An uploaded file is a multipart part, not the URI the output would give.
            return {"type": "string", "format": "binary"}
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema.get("format") == "time":
            del schema["format"]
            schema["pattern"] = TIME_PATTERN
        return schema
