from django.core.files.storage import Storage


class UnreachableStorage(Storage):
    """A storage whose every call fails, as a bucket does when the network to it is down."""

    def exists(self, name):
        raise OSError("the storage service did not answer")
