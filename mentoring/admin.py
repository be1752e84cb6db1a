from django.contrib import admin

from mentoring.models import Booking, HelpRequest, MentoringSettings, MentorProfile, MentorSlot


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "tags"]
    list_filter = ["event"]
    readonly_fields = ["calendar_token"]


@admin.register(MentorSlot)
class MentorSlotAdmin(admin.ModelAdmin):
    list_display = ["mentor", "starts_at", "length_minutes", "topic"]
    list_filter = ["event"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["team", "slot", "state", "created_at"]
    list_filter = ["event", "state"]
    readonly_fields = [f.name for f in Booking._meta.fields]  # changes go through services


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["team", "topic", "state", "claimed_by", "created_at", "rating"]
    list_filter = ["event", "state", "topic"]
    readonly_fields = [f.name for f in HelpRequest._meta.fields]


admin.site.register(MentoringSettings)
