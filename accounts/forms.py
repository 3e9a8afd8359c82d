from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from portal.fields import BoundedText


def _plain_fields(form: forms.Form) -> None:
    """GOV.UK style: labels and hints, never placeholders that vanish as people type."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_fields(self)
        self.fields["login"].label = "Email address"
        self.fields["login"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class SignupForm(allauth_forms.SignupForm):
    full_name = BoundedText(label="Your full name", subject="your full name", max_length=200)

    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_fields(self)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "We will send you a link to confirm it is yours."
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["password1"].help_text = "At least 10 characters. Avoid common words."
        self.fields["password1"].error_messages["required"] = "Create a password"
        self.fields["password2"].label = "Confirm your password"
        self.fields["password2"].error_messages["required"] = "Type your password again"
        self.order_fields(self.field_order)

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        return user


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_fields(self)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_fields(self)
        self.fields["password"].help_text = ""
        self.fields["password"].error_messages["required"] = "Enter your password"


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_fields(self)
        self.fields["code"].label = "Code from your authenticator app"
        self.fields["code"].help_text = "The 6 numbers the app shows for this account, for example 123456"
        self.fields["code"].error_messages["required"] = "Enter the 6-number code from your authenticator app"


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_fields(self)
        self.fields["code"].label = "Code from your authenticator app"
        self.fields["code"].help_text = "Or one of your recovery codes if you do not have your phone"
        self.fields["code"].error_messages["required"] = "Enter the code from your authenticator app"
