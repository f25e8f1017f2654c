"""Approvals recorded on requests before approvals were cases of their own become approved approvals."""

from django.db import migrations


def copy_approvals(apps, schema_editor):
    Old = apps.get_model("sharing", "Approval")
    New = apps.get_model("approvals", "Approval")
    clauses = {"classification": "§10", "personal_data": "§15–17"}
    New.objects.bulk_create([
        New(request_id=old.request_id, kind=old.kind, clause=clauses.get(old.kind, ""), role_required="approver",
            state="approved", requested_by=None, requested_at=old.approved_at, decided_by_id=old.approved_by_id,
            decided_at=old.approved_at, reasons=old.note)
        for old in Old.objects.all()])


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]
    operations = [migrations.RunPython(copy_approvals, migrations.RunPython.noop)]
