"""Reading what a download sent, streamed or not."""

from django.http import HttpResponseBase


def body_bytes(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def body_text(response: HttpResponseBase) -> str:
    """The download's text, without the byte-order mark."""
    return body_bytes(response).decode("utf-8-sig")
