from django.urls import path, register_converter

from applications.views import applying, home, monitoring, organisations, oversight, panel, staff, submitting


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
    path("panel/", panel.panel_home, name="panel_home"),
    path("panel/reviews/<int:pk>/", panel.review, name="review"),
    path("panel/reviews/<int:pk>/interests/", panel.declare_interest, name="declare_interest"),
    # Groups
    path("groups/new/", organisations.organisation_create, name="organisation_create"),
    path("groups/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("groups/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("groups/<int:pk>/invite/", organisations.invite, name="invite"),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
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
        "applications/<int:pk>/documents/<int:document_pk>/download/",
        submitting.document_download,
        name="document_download",
    ),
    path("applications/<int:pk>/declaration/", applying.section_declaration, name="section_declaration"),
    path("applications/<int:pk>/check/", submitting.check_answers, name="check_answers"),
    path("applications/<int:pk>/submitted/", submitting.submitted, name="submitted"),
    path("applications/<int:pk>/withdraw/", submitting.withdraw, name="withdraw"),
    # After an award: the group
    path("investments/<int:pk>/", monitoring.investment, name="investment"),
    path("investments/<int:pk>/updates/<int:number>/", monitoring.update_form, name="update_form"),
    path("investments/<int:pk>/updates/<int:number>/check/", monitoring.update_check, name="update_check"),
    path("investments/<int:pk>/updates/<int:number>/photo/", monitoring.update_photo, name="update_photo"),
    path("investments/<int:pk>/goals/", monitoring.goals, name="goals"),
    path("investments/<int:pk>/goals/add/", monitoring.goal_change, name="goal_add"),
    path("investments/<int:pk>/goals/<int:goal_pk>/change/", monitoring.goal_change, name="goal_change"),
    path("investments/<int:pk>/goals/<int:goal_pk>/stop/", monitoring.goal_retire, name="goal_retire"),
    # After an award: the fund team
    path("manage/investments/", oversight.investments, name="investments"),
    path("manage/investments/<int:pk>/", oversight.investment, name="oversight_investment"),
    path(
        "manage/investments/<int:pk>/updates/<int:number>/acknowledge/",
        oversight.acknowledge,
        name="acknowledge_update",
    ),
    path(
        "manage/investments/<int:pk>/updates/<int:number>/story/approve/",
        oversight.approve_story,
        name="approve_story",
    ),
    path(
        "manage/investments/<int:pk>/updates/<int:number>/story/withhold/",
        oversight.withhold_story,
        name="withhold_story",
    ),
    path("manage/investments/<int:pk>/mentor/", oversight.assign_mentor, name="assign_mentor"),
    path(
        "manage/investments/<int:pk>/concerns/<int:concern_pk>/resolve/",
        oversight.resolve_concern,
        name="resolve_concern",
    ),
    path("manage/investments/<int:pk>/close/", oversight.close, name="close_investment"),
    # The fund team
    path("manage/applications/", staff.queue, name="queue"),
    path("manage/rounds/<int:pk>/applications/", staff.round_applications, name="staff_round_applications"),
    path("manage/rounds/<int:pk>/panel/", staff.round_panel_summary, name="panel_summary"),
    path("manage/applications/<int:pk>/", staff.application, name="staff_application"),
    path("manage/applications/<int:pk>/eligibility/", staff.eligibility, name="eligibility"),
    path("manage/applications/<int:pk>/reviewers/", staff.assign_reviewers, name="assign_reviewers"),
    path("manage/applications/<int:pk>/decision/", staff.decide, name="decide"),
    path(
        "manage/applications/<int:pk>/reviews/<int:review_pk>/reopen/",
        staff.reopen_review,
        name="reopen_review",
    ),
    path(
        "manage/applications/<int:pk>/versions/<int:number>/",
        staff.application_version,
        name="staff_application_version",
    ),
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
