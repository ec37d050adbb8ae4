"""The admin's own pages carry the site's icon (browsers otherwise ask for /favicon.ico,
which does not exist, on every admin page)."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_admin_pages_link_the_site_icon(client):
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)

    for url in ("/admin/", "/admin/login/"):
        page = client.get(url, follow=True).text
        assert '<link rel="icon" href="/static/favicon.svg"' in page, url
