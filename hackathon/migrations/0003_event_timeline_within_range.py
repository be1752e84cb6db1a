import datetime

from django.db import migrations, models

TIMELINE = (
    "applications_open_at",
    "applications_close_at",
    "screening_ends_at",
    "team_building_starts_at",
    "hacking_starts_at",
    "hacking_ends_at",
    "judging_ends_at",
    "results_at",
)
LOW = datetime.datetime(1999, 12, 31, 10, 0, tzinfo=datetime.UTC)
HIGH = datetime.datetime(2101, 1, 1, 12, 0, tzinfo=datetime.UTC)


def clamp_out_of_range_events(apps, schema_editor):
    """Pull dates an older version let through (up to year 10,000 and beyond) back into range without reading them:
    such a row cannot be read back into Python. One UPDATE, so the timeline's order constraint sees only the result:
    each field gets its own minute near the bound, so the order holds and the organizer can repair the timeline on
    the manage page. The events are unpublished until then."""
    Event = apps.get_model("hackathon", "Event")
    day = datetime.timedelta(days=1)
    new_values = {
        name: models.Case(
            models.When(**{f"{name}__gt": HIGH - day}, then=models.Value(HIGH - day + datetime.timedelta(minutes=i))),
            models.When(**{f"{name}__lt": LOW + day}, then=models.Value(LOW + datetime.timedelta(minutes=i))),
            default=models.F(name),
        )
        for i, name in enumerate(TIMELINE)
    }
    out_of_range = models.Q(applications_open_at__lt=LOW) | models.Q(results_at__gt=HIGH)
    Event.objects.filter(out_of_range).update(**new_values, is_published=False)
    Event.objects.filter(team_building_minutes__gt=24 * 60).update(team_building_minutes=24 * 60)


class Migration(migrations.Migration):
    dependencies = [
        ("hackathon", "0002_reviewer_role"),
    ]

    operations = [
        migrations.RunPython(clamp_out_of_range_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("team_building_minutes__lte", 1440)),
                name="event_team_building_minutes_at_most_a_day",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("applications_open_at__gte", datetime.datetime(1999, 12, 31, 10, 0, tzinfo=datetime.UTC)),
                    ("results_at__lte", datetime.datetime(2101, 1, 1, 12, 0, tzinfo=datetime.UTC)),
                ),
                name="event_timeline_within_range",
            ),
        ),
    ]
