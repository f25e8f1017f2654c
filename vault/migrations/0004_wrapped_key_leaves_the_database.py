"""The wrapped key column goes: the keys are in the data key store (0003, ADR 32)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vault', '0003_wrapped_keys_into_the_key_store'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='storedfile',
            name='wrapped_key',
        ),
        migrations.AlterField(
            model_name='storedfile',
            name='disposed_at',
            field=models.DateTimeField(blank=True, help_text='When its data key was destroyed in the key store and its ciphertext deleted (ADR 32).', null=True),
        ),
    ]
