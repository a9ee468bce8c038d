"""Where media live: public files with fast addresses, and private originals with none."""

import os
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.encoding import filepath_to_uri

# STORAGES' entry for uploaded originals, which no public address reaches.
ORIGINALS = "originals"


class MediaStorage(FileSystemStorage):
    """Django's FileSystemStorage, whose url() joins MEDIA_URL (which always ends in “/”) and
    the file's path by concatenation: a page with 27 pictures asks for some 400 addresses
    (every rendition in every srcset), and urljoin's general parsing was a tenth of its time."""

    def url(self, name):
        if self.base_url is None:
            return super().url(name)
        return self.base_url + filepath_to_uri(name).lstrip("/")


class NoAddress(ValueError):
    """Raised for the address of a private file: it is streamed by a view that checks who asks."""

    def __init__(self, name):
        super().__init__(f"{name} is private and has no URL; staff download it through the admin.")


class Delegating(Storage):
    """A storage that hands every call to another one, chosen again at each call.

    Django builds a model field's storage once, when the model is loaded; choosing at each call
    lets the file follow the settings as they are now (tests change them per test)."""

    def target(self):
        raise NotImplementedError

    def open(self, name, mode="rb"):
        return self.target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.target().save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.target().get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.target().get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.target().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.target().generate_filename(filename)

    def path(self, name):
        return self.target().path(name)

    def delete(self, name):
        return self.target().delete(name)

    def exists(self, name):
        return self.target().exists(name)

    def listdir(self, path):
        return self.target().listdir(path)

    def size(self, name):
        return self.target().size(name)

    def url(self, name):
        raise NoAddress(name)

    def get_accessed_time(self, name):
        return self.target().get_accessed_time(name)

    def get_created_time(self, name):
        return self.target().get_created_time(name)

    def get_modified_time(self, name):
        return self.target().get_modified_time(name)


@cache
def private_folder(location):
    # Readable by the site's own user and group only: not by other accounts on the machine.
    return FileSystemStorage(
        location=location, file_permissions_mode=0o640, directory_permissions_mode=0o750
    )


class PrivateStorage(Delegating):
    """Files on the local disk with no address, in `location` or else PRIVATE_MEDIA_ROOT.

    FileSystemStorage would fall back to MEDIA_URL for an address; this one has none. Like
    FileSystemStorage with MEDIA_ROOT, it follows PRIVATE_MEDIA_ROOT when that changes."""

    def __init__(self, location=None):
        self.location = location

    def target(self):
        return private_folder(os.fspath(self.location or settings.PRIVATE_MEDIA_ROOT))


class OriginalsStorage(Delegating):
    """STORAGES["originals"] as it is configured now: a private folder or a private bucket."""

    def target(self):
        return storages[ORIGINALS]


ORIGINALS_STORAGE = OriginalsStorage()


def originals_storage():
    """The storage of uploaded originals (Image.file's storage=, named so migrations can)."""
    return ORIGINALS_STORAGE
