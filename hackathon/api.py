from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon import selectors
from hackathon.models import Event, EventRole
from hackathon.permissions import EventRolePermission, Role, roles_in_event
from hackathon.services import BILINGUAL_TEXT_FIELDS


class EventApiMixin:
    """For API views under /api/v1/events/<event_slug>/: loads the event the caller may see (else 404)."""

    @cached_property
    def event(self) -> Event:
        return selectors.event_get_visible(user=self.request.user, slug=self.kwargs["event_slug"])

    def get_event(self) -> Event:
        return self.event


class EventOutputSerializer(serializers.ModelSerializer):
    phase = serializers.CharField(read_only=True)
    # The texts in the request's language (else the other one), next to both versions.
    tagline = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    sponsors = serializers.ListField(source="sponsor_names", child=serializers.CharField(), read_only=True)
    team_building_ends_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "time_zone",
            "venue",
            "tagline",
            "description",
            *BILINGUAL_TEXT_FIELDS,
            "sponsors",
            "phase",
            "applications_open_at",
            "applications_close_at",
            "screening_ends_at",
            "team_building_starts_at",
            "team_building_minutes",
            "team_building_ends_at",
            "hacking_starts_at",
            "hacking_ends_at",
            "judging_ends_at",
            "results_at",
        ]


class EventListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=EventOutputSerializer(many=True))
    def get(self, request):
        events = selectors.events_visible_to(request.user).order_by("-applications_open_at")
        return Response(EventOutputSerializer(events, many=True).data)


class EventDetailApi(EventApiMixin, APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(EventOutputSerializer):
        my_roles = serializers.SerializerMethodField()

        class Meta(EventOutputSerializer.Meta):
            fields = [*EventOutputSerializer.Meta.fields, "my_roles"]

        def get_my_roles(self, event) -> list[str]:
            return sorted(roles_in_event(self.context["request"].user, event))

    @extend_schema(responses=OutputSerializer)
    def get(self, request, event_slug):
        return Response(self.OutputSerializer(self.event, context={"request": request}).data)


class EventRoleListApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class OutputSerializer(serializers.ModelSerializer):
        email = serializers.EmailField(source="user.email")
        name = serializers.CharField(source="user.name")

        class Meta:
            model = EventRole
            fields = ["id", "email", "name", "role", "track"]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, event_slug):
        people = selectors.event_people(event=self.event, role=request.query_params.get("role") or None)
        return Response(self.OutputSerializer(people, many=True).data)


# /api/v1/me/ lives here, not in accounts: the roles are hackathon's, and accounts stays below hackathon.
class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class RoleSerializer(serializers.Serializer):
            event = serializers.CharField(source="event.slug")
            role = serializers.CharField()
            track = serializers.CharField(allow_blank=True)

        id = serializers.IntegerField()
        email = serializers.EmailField()
        name = serializers.CharField()
        skills = serializers.ListField(child=serializers.CharField())
        github_username = serializers.CharField()
        contact = serializers.CharField(help_text="How to reach me: only teammates see it")
        show_email_to_team = serializers.BooleanField()
        has_avatar = serializers.BooleanField()
        roles = RoleSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "skills": user.skills or [],
            "github_username": user.github_username,
            "contact": user.contact,
            "show_email_to_team": user.show_email_to_team,
            "has_avatar": bool(user.avatar),
            "roles": selectors.roles_of_user(user),
        }
        return Response(self.OutputSerializer(data).data)
