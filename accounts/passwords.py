"""Django's password rules, saying what to do in the portal's words."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"Your password must be {self.min_length} characters or more"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        # Django fills in which detail it is like: "email address" or "full name".
        return "Your password is too like your %(verbose_name)s: choose one that is harder to guess"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "Your password is one that many people use: choose one that is harder to guess"


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return "Your password must include letters or symbols, not only numbers"
