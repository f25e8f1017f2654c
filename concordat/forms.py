"""GOV.UK Frontend widgets and the form rendering every page shares."""

from django import forms


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
