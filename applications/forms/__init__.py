"""The shape of what people type, and the messages when it is not right. Nothing here saves.

``applying`` holds the group's forms; ``assessment`` the fund team's and the panel's.
"""

from applications.forms.applying import (
    AmountForm,
    BudgetLineForm,
    CompletionForm,
    ConfirmForm,
    DeclarationForm,
    DocumentForm,
    GoalForm,
    IdeaForm,
    InvitationForm,
    MatchFundingForm,
    OrganisationForm,
    PartnerForm,
    SendBackForm,
    StartApplicationForm,
)
from applications.forms.assessment import (
    AssignReviewersForm,
    DecisionForm,
    EligibilityForm,
    InterestForm,
    ReopenForm,
    ScoresForm,
)

__all__ = [
    "AmountForm",
    "AssignReviewersForm",
    "BudgetLineForm",
    "CompletionForm",
    "ConfirmForm",
    "DecisionForm",
    "DeclarationForm",
    "DocumentForm",
    "EligibilityForm",
    "GoalForm",
    "IdeaForm",
    "InterestForm",
    "InvitationForm",
    "MatchFundingForm",
    "OrganisationForm",
    "PartnerForm",
    "ReopenForm",
    "ScoresForm",
    "SendBackForm",
    "StartApplicationForm",
]
