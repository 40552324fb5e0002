from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from strategy.services import alignment_targets_load

    alignment_targets_load(target_model=apps.get_model("strategy", "AlignmentTarget"))


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
