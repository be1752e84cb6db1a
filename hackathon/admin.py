from django.contrib import admin

from hackathon.models import AuditEntry, Event, EventRole


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone", "is_published", "hacking_starts_at")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


@admin.register(EventRole)
class EventRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "role", "track")
    list_filter = ("event", "role", "track")
    search_fields = ("user__email", "user__name")
    raw_id_fields = ("user",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "actor", "action", "target_type", "target_id")
    list_filter = ("action", "event")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
