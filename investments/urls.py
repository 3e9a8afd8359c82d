from django.urls import path

from investments.views import conditions, goal_changes, monitoring, offers, oversight, payment_runs, payments

app_name = "investments"

urlpatterns = [
    # The group
    path("investments/<int:pk>/", monitoring.investment, name="investment"),
    path("investments/<int:pk>/offer/", offers.offer, name="offer"),
    path("investments/<int:pk>/offer/letter.pdf", offers.offer_letter, name="offer_letter"),
    path("investments/<int:pk>/updates/<int:number>/", monitoring.update_form, name="update_form"),
    path("investments/<int:pk>/updates/<int:number>/check/", monitoring.update_check, name="update_check"),
    path("investments/<int:pk>/updates/<int:number>/photo/", monitoring.update_photo, name="update_photo"),
    path("investments/<int:pk>/goals/", monitoring.goals, name="goals"),
    path("investments/<int:pk>/goals/add/", monitoring.goal_change, name="goal_add"),
    path("investments/<int:pk>/goals/<int:goal_pk>/change/", monitoring.goal_change, name="goal_change"),
    path("investments/<int:pk>/goals/<int:goal_pk>/stop/", monitoring.goal_retire, name="goal_retire"),
    path(
        "investments/<int:pk>/goal-changes/<int:change_pk>/withdraw/",
        monitoring.goal_change_withdraw,
        name="goal_change_withdraw",
    ),
    path(
        "investments/<int:pk>/conditions/<int:condition_pk>/evidence/",
        conditions.send_evidence,
        name="send_evidence",
    ),
    path("investments/conditions/<int:condition_pk>/file/", conditions.evidence, name="condition_evidence"),
    # The fund team
    path("manage/investments/", oversight.investments, name="investments"),
    path("manage/investments/<int:pk>/conditions/add/", conditions.add, name="add_condition"),
    path(
        "manage/investments/<int:pk>/conditions/<int:condition_pk>/met/",
        conditions.mark_met,
        name="condition_met",
    ),
    path(
        "manage/investments/<int:pk>/conditions/<int:condition_pk>/ask-again/",
        conditions.ask_again,
        name="condition_ask_again",
    ),
    path("manage/investments/<int:pk>/", oversight.investment, name="oversight_investment"),
    path(
        "manage/investments/<int:pk>/goal-changes/<int:change_pk>/",
        goal_changes.review,
        name="goal_change_review",
    ),
    path(
        "manage/investments/<int:pk>/goal-changes/<int:change_pk>/agree/",
        goal_changes.agree,
        name="goal_change_agree",
    ),
    path(
        "manage/investments/<int:pk>/goal-changes/<int:change_pk>/object/",
        goal_changes.object_to,
        name="goal_change_object",
    ),
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
    path("manage/investments/<int:pk>/close/", oversight.close, name="close_investment"),
    # Finance
    path("manage/payments/investments/<int:pk>/", payments.investment_payments, name="investment_payments"),
    path("finance/funds/<slug:slug>/payment-runs/", payment_runs.runs, name="payment_runs"),
    path("finance/funds/<slug:slug>/payment-runs/new/", payment_runs.new_run, name="payment_run_new"),
    path("finance/payment-runs/<int:pk>/", payment_runs.run_detail, name="payment_run"),
    path("finance/payment-runs/<int:pk>/file/", payment_runs.run_file, name="payment_run_file"),
    path("finance/payment-runs/<int:pk>/discard/", payment_runs.discard, name="payment_run_discard"),
    path(
        "manage/payments/investments/<int:pk>/bank-details/",
        payments.bank_details_check,
        name="bank_details_check",
    ),
    path(
        "manage/payments/investments/<int:pk>/<int:number>/", payments.record_payment, name="record_payment"
    ),
    path(
        "manage/payments/investments/<int:pk>/entries/<int:entry_pk>/reverse/",
        payments.reverse_entry,
        name="reverse_entry",
    ),
]
