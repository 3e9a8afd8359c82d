"""An application's files, for everyone who may see the application."""

from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest
from applications.models import Document
from assessment.selectors import applications_visible_to
from kit.downloads import private_file


@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """Only people who may see the application get the file: a short signed address on S3,
    or the file itself from local storage (which no public address serves)."""
    application = get_object_or_404(applications_visible_to(request.user), pk=pk)
    document = get_object_or_404(Document, pk=document_pk, application=application)
    return private_file(document.file, filename=document.original_name, content_type=document.content_type)
