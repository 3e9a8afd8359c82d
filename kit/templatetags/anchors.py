"""Where an error summary's link goes: the box the message is about."""

from django import forms, template

register = template.Library()

CHOICES = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def error_anchor_of(bound_field: forms.BoundField, field_id: str | None = None) -> str:
    """The id to link to for ``bound_field``'s error: its first option for radios and checkboxes
    (crispy-forms-gds numbers them from 1; the field's own id is on no element), else the box."""
    field_id = field_id or bound_field.auto_id
    if field_id == bound_field.auto_id and isinstance(bound_field.field.widget, CHOICES):
        return f"{field_id}_1"
    return field_id


@register.filter
def error_anchor(bound_field: forms.BoundField, field_id: str) -> str:
    return error_anchor_of(bound_field, field_id)
