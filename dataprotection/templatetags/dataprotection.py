"""{% personal_data_panel req %}: the request page's read-only personal-data record (§15–17, Annex B)."""

from __future__ import annotations

from django import template

from dataprotection import rules, services
from sharing.states import RequestState

register = template.Library()


@register.inclusion_tag("dataprotection/panel.html", takes_context=True)
def personal_data_panel(context, req):
    user = context["request"].user
    record = rules.record_of(req)
    needed = rules.needs_record(req)
    return {
        "req": req, "record": record, "items": list(record.items.all()) if record else [], "needed": needed,
        "problems": rules.record_problems(req, record) if needed else [],
        "can_edit": req.state in services.EDITABLE_STATES and services.may_edit(user, req),
        "can_confirm": req.state == RequestState.UNDER_ASSESSMENT and needed and services.may_confirm(user, req),
    }
