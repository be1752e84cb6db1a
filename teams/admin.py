"""Read-only: team changes go through teams.services (locks, rules, audit), from the pages or the API."""

from django.contrib import admin

from teams.models import Invitation, JoinRequest, Placement, Team, TeamBuildingRound, TeamMembership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("user", "track", "source", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "event", "leader", "created_at")
    list_filter = ("event",)
    search_fields = ("name", "leader__email")
    inlines = [MembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "team", "track", "source", "joined_at")
    list_filter = ("event", "track", "source")
    search_fields = ("user__email", "user__name", "team__name")


@admin.register(TeamBuildingRound)
class TeamBuildingRoundAdmin(ReadOnlyAdmin):
    list_display = ("event", "min_team_size", "max_team_size", "closes_at_override", "locked_at")


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "team", "track", "status", "created_at", "decided_at")
    list_filter = ("event", "status")
    search_fields = ("user__email", "team__name")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("user", "team", "track", "status", "created_at", "decided_at")
    list_filter = ("event", "status")
    search_fields = ("user__email", "team__name")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("user", "team", "track", "created_at")
    list_filter = ("event",)
