from django.contrib import admin

from applications.models import Application, Review, SelectionSettings, TrackPlaces


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    raw_id_fields = ["reviewer"]
    readonly_fields = ["reviewer", "score", "comment", "created_at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the selection page, so that places, emails and audit entries hold."""

    list_display = ["user", "event", "track", "status", "decision", "waitlist_rank", "submitted_at", "checked_in_at"]
    list_filter = ["event", "track", "status", "sdk_training_completed"]
    search_fields = ["user__email", "user__name", "skills"]
    list_select_related = ["user", "event"]
    raw_id_fields = ["user", "event", "checked_in_by"]
    readonly_fields = [
        "status",
        "decision",
        "waitlist_rank",
        "offer_expires_at",
        "responded_at",
        "checked_in_at",
        "checked_in_by",
        "checkin_token",
        "privacy_consent_at",
        "submitted_at",
    ]
    inlines = [ReviewInline]


@admin.register(SelectionSettings)
class SelectionSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "rsvp_deadline", "promoted_rsvp_hours", "waitlist_length", "decisions_sent_at"]
    readonly_fields = ["decisions_sent_at"]


@admin.register(TrackPlaces)
class TrackPlacesAdmin(admin.ModelAdmin):
    list_display = ["event", "track", "places"]
    list_filter = ["event"]
