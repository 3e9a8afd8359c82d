from crispy_forms_gds.layout import Field, Size
from django import forms

from conversations.services import LONGEST
from kit.fields import BoundedText, UploadField, upload_hint
from kit.forms import PlainForm, form_helper


class MessageForm(PlainForm):
    text = BoundedText(
        label="Your message",
        subject="your message",
        required_message="Write your message",
        max_length=LONGEST,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = UploadField(label="Attach a file (optional)", required=False)
    team_note = forms.BooleanField(
        label="A note for the fund team only: the group will not see it",
        required=False,
    )

    def __init__(self, *args, team: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = upload_hint()
        fields = [Field.textarea("text", label_size=Size.SMALL), Field("attachment")]
        if team:
            fields.append(Field.checkbox("team_note"))
        else:
            del self.fields["team_note"]
        self.helper = form_helper(*fields, button="Send")
