from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sharing", "0006_decisions_as_states_data")]
    operations = [
        migrations.AddConstraint(
            model_name='request',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['agreed', 'agreed_in_part', 'declined', 'provision_owed', 'provided', 'closed']), _negated=True), ('decided_at__isnull', False), _connector='OR'), name='request_decided_before_provided_or_closed'),
        ),
        migrations.AddConstraint(
            model_name='request',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'agreed'), _negated=True), ('decision', 'agreed'), _connector='OR'), name='request_state_agreed_is_its_decision'),
        ),
        migrations.AddConstraint(
            model_name='request',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'agreed_in_part'), _negated=True), ('decision', 'agreed_in_part'), _connector='OR'), name='request_state_agreed_in_part_is_its_decision'),
        ),
        migrations.AddConstraint(
            model_name='request',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'declined'), _negated=True), ('decision', 'declined'), _connector='OR'), name='request_state_declined_is_its_decision'),
        ),
        migrations.AddConstraint(
            model_name='request',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['provided', 'provision_owed']), _negated=True), ('decision__in', ['agreed', 'agreed_in_part']), _connector='OR'), name='request_provided_only_when_agreed'),
        ),
        migrations.DeleteModel(
            name='Approval',
        ),
        migrations.DeleteModel(
            name='Notification',
        ),
    ]
