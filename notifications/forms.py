from django import forms

from kit.forms import PlainForm
from notifications.models import REQUIRED, Channel, Kind


class ChannelsForm(PlainForm):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            choices = [(channel.value, channel.label) for channel in Channel]
            if kind in REQUIRED:
                choices = [choice for choice in choices if choice[0] != Channel.OFF]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current[kind.value],
                widget=forms.RadioSelect,
                help_text="The fund needs you to hear of this: it cannot be only in the portal"
                if kind in REQUIRED
                else "",
                error_messages={
                    "required": f"Choose how you hear of this: {kind.label.lower()}",
                    "invalid_choice": "Choose one of the ways listed",
                },
            )
