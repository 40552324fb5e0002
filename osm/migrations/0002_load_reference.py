from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from osm.services import reference_load

    reference_load(
        cluster_model=apps.get_model("osm", "Cluster"),
        province_model=apps.get_model("osm", "Province"),
    )


class Migration(migrations.Migration):
    dependencies = [("osm", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
