from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("npu_jobs", "0004_one_npu_pool_per_event"),
    ]

    operations = [
        migrations.RenameModel(old_name="NpuDevice", new_name="ComputeDevice"),
    ]
