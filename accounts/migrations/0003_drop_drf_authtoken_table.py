"""DRF's plain-text tokens (rest_framework.authtoken) are gone (ADR 16): drop their table where an older database
still has it, so no usable secret is left behind. Nothing to undo: those tokens are not coming back."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_api_tokens"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
