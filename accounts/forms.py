"""allauth's forms with the portal's words: labels and hints, and a message for every mistake."""

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from kit.fields import BoundedText, PlainTextValidator
from kit.forms import PlainEnglish

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
CODE_REQUIRED = "Enter the 6-number code from your authenticator app"


def _plain_fields(form: forms.Form, required: dict[str, str]) -> None:
    """GOV.UK style: labels and hints, never placeholders that vanish as people type; a message
    of our own for each field left empty, and for an address that is not one."""
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        if name in required:
            field.error_messages["required"] = required[name]
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = EMAIL_INVALID
            field.error_messages["max_length"] = "The email address must be 320 characters or fewer"
        elif (
            # Codes are typed on one line; a password may hold any character its owner likes.
            isinstance(field, forms.CharField)
            and not isinstance(field.widget, forms.PasswordInput)
            and not any(isinstance(validator, PlainTextValidator) for validator in field.validators)
        ):
            field.validators.append(PlainTextValidator(f"the {field.label}".lower(), multiline=False))


class LoginForm(PlainEnglish, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["password"].help_text = ""
        _plain_fields(self, {"login": "Enter your email address", "password": "Enter your password"})
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class SignupForm(PlainEnglish, allauth_forms.SignupForm):
    full_name = BoundedText(label="Your full name", subject="your full name", max_length=200)

    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "We will send you a link to confirm it is yours."
        self.fields["password1"].help_text = "At least 10 characters. Avoid common words."
        self.fields["password2"].label = "Confirm your password"
        _plain_fields(
            self,
            {
                "email": "Enter your email address",
                "password1": "Create a password",
                "password2": "Type your password again",
            },
        )
        self.order_fields(self.field_order)

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        return user


class ResetPasswordForm(PlainEnglish, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        _plain_fields(self, {"email": "Enter your email address"})


class ResetPasswordKeyForm(PlainEnglish, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password1"].help_text = "At least 10 characters. Avoid common words."
        self.fields["password2"].label = "Confirm your new password"
        _plain_fields(
            self, {"password1": "Create a new password", "password2": "Type your new password again"}
        )


class ChangePasswordForm(PlainEnglish, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Current password"
        self.fields["oldpassword"].help_text = ""
        self.fields["password1"].label = "New password"
        self.fields["password1"].help_text = "At least 10 characters. Avoid common words."
        self.fields["password2"].label = "Confirm your new password"
        _plain_fields(
            self,
            {
                "oldpassword": "Enter your current password",
                "password1": "Create a new password",
                "password2": "Type your new password again",
            },
        )


class SetPasswordForm(PlainEnglish, allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = "At least 10 characters. Avoid common words."
        self.fields["password2"].label = "Confirm your password"
        _plain_fields(self, {"password1": "Create a password", "password2": "Type your password again"})


class AddEmailForm(PlainEnglish, allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address to add"
        _plain_fields(self, {"email": "Enter the email address to add"})


class ReauthenticateForm(PlainEnglish, allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        _plain_fields(self, {"password": "Enter your password"})


class ActivateTOTPForm(PlainEnglish, totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app"
        self.fields["code"].help_text = "The 6 numbers the app shows for this account, for example 123456"
        _plain_fields(self, {"code": CODE_REQUIRED})


class AuthenticateForm(PlainEnglish, mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app"
        self.fields["code"].help_text = "Or one of your recovery codes if you do not have your phone"
        _plain_fields(self, {"code": "Enter the code from your authenticator app"})


class MFAReauthenticateForm(PlainEnglish, mfa_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app"
        self.fields["code"].help_text = "Or one of your recovery codes if you do not have your phone"
        _plain_fields(self, {"code": "Enter the code from your authenticator app"})
