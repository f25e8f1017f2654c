"""The calendar page's form, the GOV.UK way (a date input of day, month and year)."""

from datetime import date

from django import forms

from clock.core import CALENDAR_LABELS, DEFAULT_CALENDAR
from clock.models import CalendarAdjustment


class GovukDateInput(forms.MultiWidget):
    """Three boxes, day, month and year, as the GOV.UK date input pattern asks."""

    template_name = "clock/widgets/govuk_date_input.html"
    part_labels = ("Day", "Month", "Year")

    def __init__(self, attrs=None):
        part = {"class": "govuk-input govuk-date-input__input", "inputmode": "numeric"}
        super().__init__([
            forms.TextInput(attrs={**part, "class": part["class"] + " govuk-input--width-2"}),
            forms.TextInput(attrs={**part, "class": part["class"] + " govuk-input--width-2"}),
            forms.TextInput(attrs={**part, "class": part["class"] + " govuk-input--width-4"}),
        ], attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if isinstance(value, date) else [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (part.strip() for part in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return None
        return f"{year}-{month}-{day}"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.part_labels, strict=True):
            subwidget["part_label"] = label
        return context


class AdjustmentForm(forms.Form):
    calendar = forms.ChoiceField(
        label="Calendar", choices=list(CALENDAR_LABELS.items()), initial=DEFAULT_CALENDAR,
        widget=forms.Select(attrs={"class": "govuk-select"}))
    day = forms.DateField(
        label="Date", input_formats=["%Y-%m-%d"], widget=GovukDateInput(),
        help_text="For example, 27 3 2026", error_messages={"invalid": "Enter a real date, for example 27 3 2026."})
    kind = forms.ChoiceField(
        label="Change", choices=CalendarAdjustment.Kind.choices, initial=CalendarAdjustment.Kind.CLOSURE,
        widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason", max_length=200, help_text="Shown wherever a due date skips this day.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}))
