"""GOV.UK Frontend widgets and the form rendering every page shares."""

from dataclasses import dataclass
from typing import Any

from django import forms

from concordat.errors import NotAllowed, RuleViolation, StaleObject


class GovukRadioSelect(forms.RadioSelect):
    template_name = "widgets/radios.html"
    option_template_name = "widgets/radio_option.html"


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "widgets/checkboxes.html"
    option_template_name = "widgets/checkbox_option.html"


def form_rows(form, clauses: dict[str, str] | None = None) -> list[dict]:
    """Each visible field with its clause and how includes/form_fields.html draws it: radios, checkboxes
    and multi-part dates in a fieldset with a legend, anything else with a label."""
    clauses = clauses or {}
    rows = []
    for bound in form.visible_fields():
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            kind = "checkboxes"
        elif isinstance(widget, forms.RadioSelect | forms.MultiWidget):
            kind = "fieldset"
        else:
            kind = "field"
        rows.append({"field": bound, "clause": clauses.get(bound.name, ""), "kind": kind})
    return rows


@dataclass
class Performed:
    """What became of a page's action: done (with the service's result), or not, with the status to answer."""

    done: bool
    result: Any = None
    status: int = 200


def perform(form, *args, **kwargs) -> Performed:
    """Validate a bound form and run its `perform(*args, **kwargs)` (a service call, ADR 4). Bad input or a broken
    rule is not done, 400, its problems shown beside the fields they name; a case changed under the person (a stale
    version) is not done, 409. Being refused (NotAllowed) is not a problem with the form: it propagates, a 403."""
    if not form.is_valid():
        return Performed(False, status=400)
    try:
        return Performed(True, form.perform(*args, **kwargs))
    except NotAllowed:
        raise
    except RuleViolation as violation:
        form.add_problems(violation)
        return Performed(False, status=409 if isinstance(violation, StaleObject) else 400)
