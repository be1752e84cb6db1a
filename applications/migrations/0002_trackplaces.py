"""TrackQuota becomes TrackPlaces (its `quota` column `places`): the places of a track are not NPU quota.

Renames only: the table, the column and the constraint keep every row.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="trackquota", name="trackquota_unique_per_event"),
        migrations.RenameModel(old_name="TrackQuota", new_name="TrackPlaces"),
        migrations.RenameField(model_name="trackplaces", old_name="quota", new_name="places"),
        migrations.AlterField(
            model_name="trackplaces",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="track_places", to="hackathon.event"
            ),
        ),
        migrations.AlterModelOptions(
            name="trackplaces",
            options={
                "ordering": ["event", "track"],
                "verbose_name": "track places",
                "verbose_name_plural": "track places",
            },
        ),
        migrations.AddConstraint(
            model_name="trackplaces",
            constraint=models.UniqueConstraint(fields=("event", "track"), name="trackplaces_unique_per_event"),
        ),
    ]
