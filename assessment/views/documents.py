"""An application's files, for everyone who may see the application."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from applications.models import Document
from assessment.selectors import applications_visible_to
from kit.downloads import private_file


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Only people who may see the application get the file: a short signed address on S3,
    or the file itself from local storage (which no public address serves)."""
    application = get_object_or_404(applications_visible_to(request.user), pk=pk)
    document = get_object_or_404(Document, pk=document_pk, application=application)
    return private_file(document.file, filename=document.original_name, content_type=document.content_type)
