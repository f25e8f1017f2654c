"""Deliveries made before retention cases existed are held from now on, each with its request's element (f) date
(none, for requests drafted before it was structured: they show as "no date given" until someone disposes of them)."""

from django.db import migrations


def hold_existing(apps, schema_editor):
    Delivery = apps.get_model("sharing", "Delivery")
    Retention = apps.get_model("retention", "Retention")
    for delivery in Delivery.objects.filter(retention__isnull=True).select_related("request").iterator():
        Retention.objects.create(delivery=delivery, request=delivery.request, keep_until=delivery.request.retain_until)


class Migration(migrations.Migration):

    dependencies = [
        ("retention", "0001_initial"),
        ("sharing", "0012_request_retain_until"),
    ]

    operations = [migrations.RunPython(hold_existing, migrations.RunPython.noop, elidable=False)]
