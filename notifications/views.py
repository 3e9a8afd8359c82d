"""A person's notifications, and how they want to hear of each kind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from kit.pagination import paginate
from notifications.forms import ChannelsForm
from notifications.models import Notification
from notifications.services import channels, set_channel


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Newest first; opening the list marks what it shows as read."""
    page = paginate(request, Notification.objects.filter(user=request.user))
    unread = [notification.pk for notification in page if notification.read_at is None]
    response = render(request, "notifications/list.html", {"page": page, "unread": set(unread)})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ChannelsForm(request.POST or None, current=channels(request.user))
    if request.method == "POST" and form.is_valid():
        for kind, channel in form.cleaned_data.items():
            set_channel(request.user, kind, channel)
        messages.success(request, "Your choices are saved.")
        return redirect("notifications:list")
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)
