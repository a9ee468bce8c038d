"""Media on S3-compatible object storage, against moto's in-process S3."""

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils.encoding import filepath_to_uri
from moto import mock_aws
from PIL import Image as PILImage

from articles.images import renditions
from articles.models import Image, Rendition
from articles.templatetags.images import picture_context
from rs_cms.environment import media_storage_from_env, originals_storage_from_env
from rs_cms.storage import MediaStorage, NoAddress
from tests.factories import ImageFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "meridian-media"
PRIVATE_BUCKET = "meridian-originals"
REGION = "us-east-1"


@pytest.fixture
def bucket(settings):
    """Empty public and private buckets in moto's S3, and STORAGES as the settings build them
    for those buckets."""

    def use(**env):
        environ = {
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "MEDIA_S3_REGION": REGION,
            **env,
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "default": media_storage_from_env(environ),
            "originals": originals_storage_from_env(environ),
        }
        return client

    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        client.create_bucket(Bucket=PRIVATE_BUCKET)
        yield use


def keys(client, bucket=BUCKET):
    listing = client.list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listing.get("Contents", [])}


def local_files(settings):
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return [path for root in roots for path in root.rglob("*")]


def test_without_a_bucket_media_stay_on_the_local_disk():
    assert media_storage_from_env({}) == {"BACKEND": "rs_cms.storage.MediaStorage"}


def test_a_bucket_gives_public_unsigned_never_overwritten_long_cached_media():
    storage = media_storage_from_env(
        {
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "MEDIA_S3_REGION": "eu-central-1",
            "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
        }
    )
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "endpoint_url": "https://minio.internal:9000",
            "region_name": "eu-central-1",
            "custom_domain": "media.example.org",
        },
    }


def test_originals_without_a_bucket_stay_in_the_private_folder():
    assert originals_storage_from_env({}) == {"BACKEND": "rs_cms.storage.PrivateStorage"}


def test_a_media_bucket_keeps_originals_in_a_second_private_signed_bucket():
    storage = originals_storage_from_env(
        {
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "MEDIA_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "MEDIA_S3_REGION": "eu-central-1",
            "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
        }
    )
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_BUCKET,
            "querystring_auth": True,
            "default_acl": "private",
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, no-store"},
            "endpoint_url": "https://minio.internal:9000",
            "region_name": "eu-central-1",
        },
    }


@pytest.mark.parametrize("private", ["", BUCKET])
def test_a_media_bucket_without_a_separate_private_one_is_refused(private):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_PRIVATE_BUCKET"):
        originals_storage_from_env({"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_PRIVATE_BUCKET": private})


def test_uploads_and_renditions_are_stored_in_the_buckets_not_on_disk(bucket, settings):
    client = bucket()
    image = ImageFactory(file=ContentFile(jpeg_bytes(800, 450), name="harbour.jpg"))
    made = renditions.make_renditions(image)

    # 320 and 640 wide, and one at the picture's own 800: in every format this Pillow encodes.
    assert len(made) == 3 * len(renditions.formats())
    assert keys(client) == {image.display_file.name} | {rendition.file.name for rendition in made}
    assert keys(client, PRIVATE_BUCKET) == {image.file.name}
    assert image.file.name.startswith("originals/")
    assert image.display_file.name.startswith("images/")
    assert (image.width, image.height) == (800, 450)
    assert local_files(settings) == []

    stored = client.head_object(Bucket=BUCKET, Key=made[0].file.name)
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert stored["ContentType"] == f"image/{made[0].format}"
    # Private objects: readers get them through a bucket policy or the CDN, never an ACL.
    grants = client.get_object_acl(Bucket=BUCKET, Key=made[0].file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    # The original: no grant to anyone but the owner, and never cached on the way.
    grants = client.get_object_acl(Bucket=PRIVATE_BUCKET, Key=image.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    stored = client.head_object(Bucket=PRIVATE_BUCKET, Key=image.file.name)
    assert stored["CacheControl"] == "private, no-store"


def test_renditions_are_read_back_from_the_bucket(bucket):
    bucket()
    image = ImageFactory(file=ContentFile(jpeg_bytes(400, 300), name="cranes.jpg"))
    renditions.make_renditions(image)

    jpeg = Rendition.objects.get(image=image, format=Rendition.Format.JPEG, width=320)
    with jpeg.file.open("rb") as file, PILImage.open(file) as picture:
        assert (picture.format, picture.size) == ("JPEG", (320, 240))


def test_media_urls_point_at_the_bucket_and_originals_have_none(bucket):
    bucket()
    image = ImageFactory()
    assert image.display_file.url == (
        f"https://{BUCKET}.s3.amazonaws.com/{image.display_file.name}"
    )
    with pytest.raises(NoAddress):
        image.file.url  # noqa: B018


def test_media_urls_point_at_the_cdn_when_it_has_a_domain(bucket):
    bucket(MEDIA_S3_CUSTOM_DOMAIN="media.example.org")
    image = ImageFactory(file=ContentFile(jpeg_bytes(700, 400), name="port.jpg"))
    renditions.make_renditions(image)

    context = picture_context(Image.objects.prefetch_related("renditions").get(pk=image.pk), "1vw")
    addresses = [context["src"]] + [
        entry.split()[0]
        for srcset in [context["srcset"]] + [source["srcset"] for source in context["sources"]]
        for entry in srcset.split(", ")
    ]
    assert len(addresses) == 1 + 3 * len(renditions.formats())
    assert all(address.startswith("https://media.example.org/renditions/") for address in addresses)
    assert "?" not in "".join(addresses)


def test_media_urls_follow_a_custom_endpoint_without_signatures(bucket):
    bucket(MEDIA_S3_ENDPOINT_URL="https://minio.internal:9000", MEDIA_S3_ADDRESSING_STYLE="path")
    assert default_storage.url("images/2026/05/a.jpg") == (
        f"https://minio.internal:9000/{BUCKET}/images/2026/05/a.jpg"
    )


def test_a_second_upload_with_the_same_name_never_replaces_the_first(bucket):
    client = bucket()
    first = ImageFactory(file=ContentFile(jpeg_bytes(colour=(0, 0, 0)), name="same.jpg"))
    second = ImageFactory(file=ContentFile(jpeg_bytes(colour=(255, 255, 255)), name="same.jpg"))

    assert first.file.name != second.file.name
    assert keys(client, PRIVATE_BUCKET) == {first.file.name, second.file.name}


def test_deleting_an_image_removes_its_renditions_from_the_bucket(
    bucket, django_capture_on_commit_callbacks
):
    client = bucket()
    image = ImageFactory(file=ContentFile(jpeg_bytes(500, 300), name="gone.jpg"))
    made = {rendition.file.name for rendition in renditions.make_renditions(image)}
    assert made <= keys(client)

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not made & keys(client)
    assert Rendition.objects.count() == 0
    for name in made:
        with pytest.raises(ClientError):
            client.head_object(Bucket=BUCKET, Key=name)


def test_the_environment_chooses_s3_for_media():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_")}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "rs_cms.settings",
        "SECRET_KEY": "a-real-secret",
        "SITE_URL": "https://review.example.org",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
    }
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "media = storages['default']\n"
        "print(type(media).__module__, type(media).__name__)\n"
        "print(media.url('images/a.jpg'))\n"
        "originals = storages['originals']\n"
        "print(type(originals).__name__, originals.bucket_name, originals.querystring_auth)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "storages.backends.s3 S3Storage",
        "https://media.example.org/images/a.jpg",
        f"S3Storage {PRIVATE_BUCKET} True",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "images/2026/11/photo.jpg",
        "renditions/a b/ünï.webp",
        "/images/x.avif",
        "a:b/c?.jpg",
        "x#1.png",
    ],
)
@pytest.mark.parametrize("base_url", ["/media/", "https://media.example.org/m/"])
def test_local_media_addresses_are_djangos_own(name, base_url):
    ours = MediaStorage(location="/tmp", base_url=base_url).url(name)
    django = FileSystemStorage(location="/tmp", base_url=base_url).url(name)
    # urljoin reads "a:" as a scheme; plain concatenation keeps the path under MEDIA_URL.
    expected = base_url + filepath_to_uri(name).lstrip("/") if ":" in name else django
    assert ours == expected
    assert ours.startswith(base_url)
