"""``{% update_photo update %}``: an update's photo, small, from the portal's own address."""

from __future__ import annotations

import hashlib

from django import template
from django.urls import reverse

from investments.models import ProgressUpdate
from investments.photos import shown_size

register = template.Library()


@register.inclusion_tag("components/update_photo.html")
def update_photo(update: ProgressUpdate, public: bool = False) -> dict:
    """The access-checked thumbnail for signed-in pages, or with ``public`` the published story's
    (the page must only ask for it when ``photo_published`` holds)."""
    if public:
        src = reverse("public:story_photo", args=[update.investment.round.fund.slug, update.pk])
    else:
        src = reverse("investments:update_photo", args=[update.investment_id, update.number])
    # The photo's key changes when the group replaces it, so browsers may keep each version.
    version = hashlib.sha256(str(update.photo.name).encode()).hexdigest()[:12]
    width = height = None
    if update.photo_width and update.photo_height:
        width, height = shown_size(update.photo_width, update.photo_height)
    alt = update.public_photo_alt if public else update.photo_alt
    return {"src": f"{src}?v={version}", "alt": alt, "width": width, "height": height}
