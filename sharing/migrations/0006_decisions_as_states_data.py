from django.db import migrations


def decisions_as_states(apps, schema_editor):
    """DECIDED becomes what was decided; a regular request provided in part owes the rest (§6)."""
    Request = apps.get_model("sharing", "Request")
    for decision in ("agreed", "agreed_in_part", "declined"):
        Request.objects.filter(state="decided", decision=decision).update(state=decision)
    owed = Request.objects.filter(state="provided", provision="regular", occasions__delivery__isnull=True)
    Request.objects.filter(pk__in=owed.values("pk")).update(state="provision_owed")


class Migration(migrations.Migration):
    dependencies = [("sharing", "0005_decisions_as_states_approvals_and_notifications_move")]
    operations = [migrations.RunPython(decisions_as_states, migrations.RunPython.noop)]
