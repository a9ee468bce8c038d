"""Static files as a release builds and serves them: hashed, brotli and gzip, cached forever."""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

ROOT = Path(__file__).resolve().parent.parent
FOREVER = "max-age=315360000, public, immutable"
# Closing a test-client response sends request_finished, which checks the database connection.
serves = pytest.mark.django_db


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """STATIC_ROOT after `collectstatic` with the production settings, as a release builds it."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-W", "error", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "a-real-secret", "STATIC_ROOT": str(static_root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return static_root


@pytest.fixture
def production_static(settings, collected):
    """Serve the collected files the way production does: no finders, no rescanning."""
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return collected


def hashed_name(static_root, name):
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


def test_collectstatic_writes_hashed_brotli_and_gzip_copies(collected):
    name = hashed_name(collected, "css/site.css")
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", name)

    hashed = (collected / name).read_bytes()
    assert brotli.decompress((collected / f"{name}.br").read_bytes()) == hashed
    assert gzip.decompress((collected / f"{name}.gz").read_bytes()) == hashed


def test_templates_link_to_the_hashed_names(production_static):
    name = hashed_name(production_static, "css/site.css")
    assert static("css/site.css") == f"/static/{name}"
    assert staticfiles_storage.url("img/logo.png") == (
        f"/static/{hashed_name(production_static, 'img/logo.png')}"
    )


@serves
@pytest.mark.parametrize(
    ("accepts", "encoding", "suffix"), [("br, gzip", "br", ".br"), ("gzip", "gzip", ".gz")]
)
def test_hashed_files_are_served_compressed_and_cached_forever(
    client, production_static, accepts, encoding, suffix
):
    name = hashed_name(production_static, "css/site.css")
    response = client.get(f"/static/{name}", headers={"accept-encoding": accepts})

    assert response.status_code == 200
    assert response["Cache-Control"] == FOREVER
    assert response["Content-Encoding"] == encoding
    assert response["Vary"] == "Accept-Encoding"
    assert response["Content-Type"].startswith("text/css")
    assert (
        b"".join(response.streaming_content) == (production_static / f"{name}{suffix}").read_bytes()
    )
    response.close()


@serves
def test_unhashed_names_are_not_cached_forever(client, production_static):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    response.close()
