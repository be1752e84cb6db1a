from django.contrib import admin

from core.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("to", "subject", "purpose", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "purpose")
    search_fields = ("to", "subject")
    readonly_fields = ("created_at", "sent_at", "attempts", "last_error")
