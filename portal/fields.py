"""Form fields shared by every app, with messages that say what to type."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError


class DayMonthYearField(DateInputField):
    """GOV.UK's date input (day, month, year boxes) with messages naming the date asked for."""

    def __init__(self, *, label: str, example: str = "27 3 2027", **kwargs):
        kwargs.setdefault("help_text", f"For example, {example}")
        # Each missing box gets its own message, as the Design System asks.
        kwargs.setdefault("require_all_fields", False)
        super().__init__(label=label, **kwargs)
        name = label.lower()
        self.example = example
        self.error_messages.update(
            required=f"Enter the {name}",
            incomplete=f"Enter the {name} as a day, month and year",
        )
        day, month, year = self.fields
        day.error_messages["incomplete"] = f"The {name} must include a day"
        month.error_messages["incomplete"] = f"The {name} must include a month"
        year.error_messages["incomplete"] = f"The {name} must include a year"
        self.real_date_message = f"The {name} must be a real date, for example {example}"
        for field in self.fields:
            for validator in field.validators:
                validator.message = self.real_date_message

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except ValueError as error:
            raise ValidationError(self.real_date_message, code="invalid") from error
        if value.year < 1900:
            raise ValidationError(f"Enter the year in full, for example {self.example[-4:]}", code="invalid")
        return value
