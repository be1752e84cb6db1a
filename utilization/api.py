from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.api import EventApiMixin
from hackathon.models import EventRole
from hackathon.permissions import EventRolePermission
from npu_jobs.selectors import team_for_participant
from utilization import selectors

Role = EventRole.Role


class UtilizationFiguresApi(EventApiMixin, APIView):
    """Every figure of the utilization dashboard (organizers), for one window: 15m, 6h or event."""

    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    @extend_schema(
        parameters=[OpenApiParameter("window", str, enum=list(selectors.WINDOWS))], responses=OpenApiTypes.OBJECT
    )
    def get(self, request, event_slug):
        window = request.query_params.get("window", selectors.DEFAULT_WINDOW)
        return Response(selectors.dashboard_figures(event=self.event, window=window))


class TeamUsageApi(EventApiMixin, APIView):
    """The caller's team: usage against its grant, queue waits and failures."""

    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT,)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, event_slug):
        team = team_for_participant(user=request.user, event=self.event)
        return Response(selectors.team_usage(team=team))
