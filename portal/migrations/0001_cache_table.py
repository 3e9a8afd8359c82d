"""Creates the database cache table, so `migrate` alone prepares every deployment.

The cache is shared by all web processes: allauth keeps its rate limits and the
one-time codes already used there, which must hold across processes and machines.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
