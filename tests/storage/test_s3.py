"""Files through the production storage class (django-storages' S3) against a real
S3-compatible server on loopback: what councils run on in production."""

import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile

from tests.conftest import S3_BUCKET

pytestmark = pytest.mark.s3


def test_a_file_is_stored_read_back_and_deleted(s3_storage):
    content = b"item,amount\nHall hire,450.00\n"
    name = s3_storage.save("applications/budget.csv", ContentFile(content))
    assert name.startswith("applications/budget")
    assert s3_storage.exists(name)
    with s3_storage.open(name) as stored:
        assert stored.read() == content
    assert s3_storage.size(name) == len(content)

    s3_storage.delete(name)
    assert not s3_storage.exists(name)


def test_saving_twice_under_one_name_keeps_both_files(s3_storage):
    first = s3_storage.save("evidence/photo.txt", ContentFile(b"first"))
    second = s3_storage.save("evidence/photo.txt", ContentFile(b"second"))
    assert first != second
    assert s3_storage.open(first).read() == b"first"
    assert s3_storage.open(second).read() == b"second"


def test_objects_are_private_and_reached_only_by_a_short_signed_address(s3_storage, s3_server):
    name = s3_storage.save("reports/board-pack.txt", ContentFile(b"SROI 1.63"))
    signed = s3_storage.url(name)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    with urllib.request.urlopen(signed, timeout=10) as response:
        assert response.read() == b"SROI 1.63"

    unsigned = f"{s3_server}/{S3_BUCKET}/{name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)
    assert refused.value.code == 403

    acl = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2").get_object_acl(
        Bucket=S3_BUCKET, Key=name
    )
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]


@pytest.mark.django_db
def test_healthz_checks_the_bucket(client, s3_storage):
    assert client.get("/healthz").json()["storage"] == "ok"
