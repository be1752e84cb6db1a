"""The database cache's table (settings.CACHES without REDIS_URL), so that `migrate` alone prepares every
deployment: `make demo`, `make test`, CI and docker. With Redis as the cache this does nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_email_claim_and_schedule")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
