"""Admin pages for people's data: accounts, cohorts, memberships. Superusers only.

The role groups hold no permission on these models (accounts/roles.py), but a permission can be
granted by hand to any staff account; these pages refuse every staff account that is not a
superuser all the same, so that a trainer never sees learners' extra time, memberships or join
codes, whatever their permissions say.
"""

from django.http import HttpRequest


def is_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperusersOnly:
    """A ModelAdmin or inline mixin: every page and action for superusers, none for others."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request)
