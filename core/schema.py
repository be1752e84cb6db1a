from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """Names nested serializers after the API view that holds them (EventRoleListApi.OutputSerializer ->
    EventRoleListApiOutput), so one-view-one-serializer code never produces clashing schema components."""

    def get_serializer_name(self, serializer, direction):
        qualname = type(serializer).__qualname__
        if "." in qualname:
            return qualname.replace(".", "")
        return super().get_serializer_name(serializer, direction)
