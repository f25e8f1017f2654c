"""A database as a restore from a backup leaves it (ADR 46), for the tests of recording a restore on the chain."""

from __future__ import annotations

import pytest

from audit.checkpointing import sign_checkpoint
from audit.models import AuditHead
from audit.services import record_standalone
from tests.support.tamper import events_sql, head_row, sql


@pytest.fixture
def restored(checkpoint_keys):
    """Three events and the Home Office's checkpoint, backed up at event 3; two more events and the IASC's checkpoint
    at event 5 on the live chain; then the database as restored from the backup. (head at backup, live head)."""
    for n in range(3):
        record_standalone("test.event", details={"n": n})
    sign_checkpoint("home-office", signed_by="test")
    backup = head_row()
    for n in range(2):
        record_standalone("test.event", details={"n": 3 + n})
    sign_checkpoint("iasc", signed_by="test")
    live = head_row()
    events_sql("DELETE FROM audit_auditevent WHERE sequence > 3")
    sql("DELETE FROM audit_auditcheckpoint WHERE party = 'iasc'", table="audit_auditcheckpoint")
    AuditHead.objects.filter(id=1).update(count=backup[0], hash=backup[1], mac=backup[2])
    return backup[:2], live[:2]
