from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

# The one error shape of every API error (core.api), documented for every operation by errors_postprocess.
ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error. A validation error also lists each field's messages under the field's name.",
    "properties": {
        "detail": {"type": "string", "description": "A readable message, in the request's language."},
        "code": {"type": "string", "description": "A machine-readable code, e.g. not_found, invalid, full."},
        "field": {"type": "string", "nullable": True, "description": "The input the error is about, if any."},
    },
    "required": ["detail", "code", "field"],
    "additionalProperties": True,
}
ERROR_RESPONSES = {
    "400": "The request was refused: invalid input or a broken rule.",
    "401": "The token is wrong (see WWW-Authenticate).",
    "403": "Not signed in, or not allowed to do this.",
    "404": "Not found, or not visible to you.",
}


class AutoSchema(SpectacularAutoSchema):
    """Names nested serializers after the API view that holds them (EventRoleListApi.OutputSerializer ->
    EventRoleListApiOutput), so one-view-one-serializer code never produces clashing schema components."""

    def get_serializer_name(self, serializer, direction):
        qualname = type(serializer).__qualname__
        if "." in qualname:
            return qualname.replace(".", "")
        return super().get_serializer_name(serializer, direction)


def errors_postprocess(result, generator, request, public):
    """Add the shared Error component and a 400, 401, 403 and 404 answer to every operation that lacks one."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
    return result


# For APIViews that page by hand with core.api.LimitOffsetPagination.
LIMIT_OFFSET_PARAMETERS = [
    OpenApiParameter("limit", int, description="Number of results to return per page (at most 200)."),
    OpenApiParameter("offset", int, description="The initial index from which to return the results."),
]


def paged(item_serializer: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The schema of a LimitOffsetPagination page of item_serializer: count, next, previous, results."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
        },
    )
