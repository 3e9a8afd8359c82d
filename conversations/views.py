"""An application's conversation: one page for the group and the fund team alike, each seeing
their own side of it, and the attachments."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from applications.models import Application
from conversations import selectors, services
from conversations.forms import MessageForm
from conversations.models import Message
from conversations.permissions import Side, on_team_side, side_of
from fund.models import FundRole
from kit.downloads import private_file
from kit.errors import RuleError
from kit.forms import add_service_errors
from kit.pagination import paginate


def _back(request: AuthenticatedHttpRequest, application: Application, side: Side) -> tuple[str, str]:
    """Where the person came from: the group's application, or the fund team's page for it."""
    if side == Side.GROUP:
        return reverse("applications:application_detail", args=[application.pk]), "Back to your application"
    officer = FundRole.objects.filter(
        user=request.user, fund_id=application.round.fund_id, role=FundRole.Role.OFFICER
    )
    if officer.exists():
        return reverse("assessment:staff_application", args=[application.pk]), "Back to the application"
    return reverse("work:home"), "Back to your work"


def _thread(request: AuthenticatedHttpRequest, pk: int) -> tuple[Application, Side]:
    application = get_object_or_404(Application.objects.select_related("organisation", "round__fund"), pk=pk)
    side = side_of(request.user, application)
    if side is None:
        # Not a party to it: as if it were not there.
        raise Http404("No conversation found.")
    return application, side


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application, side = _thread(request, pk)
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        team=side == Side.TEAM,
    )
    if request.method == "POST" and form.is_valid():
        note = bool(form.cleaned_data.get("team_note"))
        try:
            services.send(
                application=application,
                by=request.user,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data.get("attachment"),
                team_note=note,
            )
        except RuleError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, "Your note is saved." if note else "Your message is sent.")
            return redirect("conversations:thread", pk=pk)
    if form.errors and request.FILES.get("attachment") and "attachment" not in form.errors:
        # A browser never sends a chosen file again: say so, rather than lose it without a word.
        form[
            "attachment"
        ].help_text = "The file you chose was not kept because of the problems above. Choose it again."
    entries = selectors.timeline(application, request.user, side)
    if request.method == "GET":
        shown = [entry.message.sent_at for entry in entries if entry.message is not None]
        services.mark_read(application, request.user, up_to=max(shown, default=None))
    return render(
        request,
        "conversations/thread.html",
        {
            "application": application,
            "entries": entries,
            "form": form,
            "team": side == Side.TEAM,
            "back": _back(request, application, side),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def attachment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    message = get_object_or_404(Message.objects.select_related("application__organisation"), pk=pk)
    side = side_of(request.user, message.application)
    if side is None or (message.team_note and side != Side.TEAM) or not message.attachment:
        raise Http404("No file found.")
    return private_file(
        message.attachment, filename=message.attachment_name, content_type=message.attachment_type
    )


@login_required
@require_GET
def waiting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """For the fund team: conversations whose newest message is the group's, the longest waiting first."""
    team_roles = [FundRole.Role.OFFICER, FundRole.Role.FINANCE, FundRole.Role.MENTOR]
    if not FundRole.objects.for_user(request.user).filter(role__in=team_roles).exists():
        raise PermissionDenied("This page is for the fund team: officers, finance and mentors.")
    threads = (
        selectors.unanswered(on_team_side(request.user))
        .select_related("organisation")
        .order_by("waiting_since", "pk")
    )
    return render(request, "conversations/waiting.html", {"page": paginate(request, threads)})
