from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.selectors import roles_of_user


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class RoleSerializer(serializers.Serializer):
            event = serializers.CharField(source="event.slug")
            role = serializers.CharField()
            track = serializers.CharField(allow_blank=True)

        id = serializers.IntegerField()
        email = serializers.EmailField()
        name = serializers.CharField()
        roles = RoleSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        user = request.user
        data = {"id": user.id, "email": user.email, "name": user.name, "roles": roles_of_user(user)}
        return Response(self.OutputSerializer(data).data)
