from django.urls import path, register_converter

from applications.views import applying, home, submitting


class ListSectionConverter:
    """The sections that are lists of items; any other word is not found."""

    regex = "|".join(applying.ITEM_KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ListSectionConverter, "list_section")

app_name = "applications"

LIST_SECTIONS = "<list_section:kind>"

urlpatterns = [
    path("applications/", home.applicant_home, name="applicant_home"),
    # Groups
    path("groups/<int:pk>/", home.organisation_detail, name="organisation_detail"),
    # Applying
    path("groups/<int:organisation_pk>/apply/", applying.start, name="start"),
    path("applications/<int:pk>/", applying.application_detail, name="application_detail"),
    path("applications/<int:pk>/amount/", applying.change_amount, name="change_amount"),
    path("applications/<int:pk>/organisation/", applying.section_organisation, name="section_organisation"),
    path("applications/<int:pk>/idea/", applying.section_idea, name="section_idea"),
    path("applications/<int:pk>/documents/", applying.section_documents, name="section_documents"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/remove/",
        applying.document_remove,
        name="document_remove",
    ),
    path(
        "applications/<int:pk>/questions/<int:section_pk>/",
        applying.section_questions,
        name="section_questions",
    ),
    path("applications/<int:pk>/cannot-go-on/", applying.stopped, name="stopped"),
    path("applications/<int:pk>/declaration/", applying.section_declaration, name="section_declaration"),
    path("applications/<int:pk>/check/", submitting.check_answers, name="check_answers"),
    path("applications/<int:pk>/submitted/", submitting.submitted, name="submitted"),
    path("applications/<int:pk>/withdraw/", submitting.withdraw, name="withdraw"),
    path("applications/<int:pk>/goals/", applying.section_goals, name="section_goals"),
    path("applications/<int:pk>/budget/", applying.section_budget, name="section_budget"),
    # Sections that are lists: goals, budget, match-funding, partners
    path(f"applications/<int:pk>/{LIST_SECTIONS}/", applying.item_section, name="item_section"),
    path(f"applications/<int:pk>/{LIST_SECTIONS}/add/", applying.item_form, name="item_add"),
    path(f"applications/<int:pk>/{LIST_SECTIONS}/<int:item_pk>/", applying.item_form, name="item_edit"),
    path(
        f"applications/<int:pk>/{LIST_SECTIONS}/<int:item_pk>/remove/",
        applying.item_remove,
        name="item_remove",
    ),
]
