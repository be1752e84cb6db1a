from django.db import migrations


def label_simulated(apps, schema_editor):
    """Before wave 2 the demo wrote made-up job figures under a worker that never existed. Databases seeded then
    keep those rows: they are labelled simulated, so no page, export or judge takes them for measurements."""
    NpuJob = apps.get_model("npu_jobs", "NpuJob")
    NpuJob.objects.filter(worker_host="demo-worker@hacknpu").update(simulated=True)


class Migration(migrations.Migration):
    dependencies = [("npu_jobs", "0009_cost_six_places")]

    operations = [migrations.RunPython(label_simulated, migrations.RunPython.noop)]
