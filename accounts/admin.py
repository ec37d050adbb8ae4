"""User admin with each account's role and exam accommodation: superusers only (no role group
holds a permission on users, and ``SuperusersOnly`` refuses any other staff account). Deleting
an account here deletes it as its owner would (accounts/deletion.py)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin_access import SuperusersOnly
from accounts.deletion import delete_account
from accounts.models import CandidateProfile
from accounts.roles import role_of

User = get_user_model()


class CandidateProfileInline(SuperusersOnly, admin.StackedInline):
    model = CandidateProfile
    can_delete = False
    max_num = 1
    verbose_name = "exam accommodation"
    verbose_name_plural = "exam accommodation"


class AccountAdmin(SuperusersOnly, UserAdmin):
    inlines = [CandidateProfileInline]
    list_display = ["username", "email", "role", "is_active", "last_login"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, user) -> str:
        return role_of(user).value

    def delete_model(self, request: HttpRequest, obj) -> None:
        delete_account(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            delete_account(user)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
