"""The site's icon: at /favicon.ico, where browsers look, and in every page's <head>."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image

from tests.forms import soup_of

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")
    with Image.open(finders.find("favicon.ico")) as image:
        assert image.format == "ICO"
        assert image.info["sizes"] >= {(16, 16), (32, 32), (48, 48)}


@pytest.mark.parametrize("url", ["/", "/no-such-page/"])
def test_every_page_names_its_icons_for_browsers_and_phones(client, url):
    head = soup_of(client.get(url)).head
    icons = head.find_all("link", rel="icon") + head.find_all("link", rel="apple-touch-icon")
    assert [" ".join(link["rel"]) for link in icons] == ["icon", "icon", "apple-touch-icon"]
    for link in icons:
        name = link["href"].removeprefix(static(""))
        path = finders.find(name)
        assert path, f"{link['href']} is not a static file"
        with Image.open(path) as image:
            if "sizes" in link.attrs:
                width, height = (int(n) for n in link["sizes"].split("x"))
                assert (width, height) in image.info.get("sizes", {image.size})
            else:
                # Phones ask for 180×180, opaque: they round the corners themselves.
                assert image.size == (180, 180)
                assert image.mode == "RGB"
