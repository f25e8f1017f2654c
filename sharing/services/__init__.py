"""Every change to a request: one function per action, the only code that changes sharing state.

Split by concern: drafting, lifecycle (submission, acknowledgement, routing, closing), assessment
(further information, checklist, decision), delivery, and due dates after a calendar change. Each action
runs in the workflow core's acting wrapper (sharing.cases.REQUESTS): lock, compare the version, check
who is acting and what the state allows, change it, one timeline entry and one audit event, notifications
after commit. Pages and the API call these functions and nothing else.
"""

from sharing.services.assessment import (
    ChecklistEntry,
    decide,
    record_checklist,
    request_further_information,
    respond,
)
from sharing.services.delivery import deliver, file_for_download
from sharing.services.drafting import (
    DRAFT_FIELDS,
    RESPONSE_FIELDS,
    TARGET_DATE_FIELDS,
    TITLE_MAX,
    create_draft,
    default_protocol,
    submission_problems,
    update_draft,
)
from sharing.services.due_dates import recompute_due_dates
from sharing.services.lifecycle import acknowledge, close, reassign, start_assessment, submit, withdraw

__all__ = [
    "DRAFT_FIELDS", "RESPONSE_FIELDS", "TARGET_DATE_FIELDS", "TITLE_MAX", "ChecklistEntry", "acknowledge", "close",
    "create_draft", "decide", "default_protocol", "deliver", "file_for_download", "reassign",
    "recompute_due_dates", "record_checklist", "request_further_information", "respond", "start_assessment",
    "submission_problems", "submit", "update_draft", "withdraw",
]
