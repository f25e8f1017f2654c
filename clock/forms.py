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
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:  # as typed, to show again beside an error
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        # A part left out of the data altogether is empty, not an error (it was a 500)
        day, month, year = ((part or "").strip() for part in super().value_from_datadict(data, files, name))
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
        error_messages={"required": "Choose a calendar.", "invalid_choice": "Choose a calendar."},
        widget=forms.Select(attrs={"class": "govuk-select"}))
    day = forms.DateField(
        label="Date", input_formats=["%Y-%m-%d"], widget=GovukDateInput(),
        help_text="For example, 27 3 2026", error_messages={"required": "Enter the date.", "invalid": "Enter a real date, for example 27 3 2026."})
    kind = forms.ChoiceField(
        label="Change", choices=CalendarAdjustment.Kind.choices, initial=CalendarAdjustment.Kind.CLOSURE,
        error_messages={"required": "Choose closure or opening.", "invalid_choice": "Choose closure or opening."},
        widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason", max_length=200, help_text="Shown wherever a due date skips this day.",
        error_messages={"required": "Enter the reason for the change.",
                        "max_length": "The reason must be 200 characters or fewer."},
        widget=forms.TextInput(attrs={"class": "govuk-input"}))
