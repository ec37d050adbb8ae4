"""User admin with each account's role and exam accommodation. Only superusers reach it:
no role group holds a permission on users."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import CandidateProfile
from accounts.roles import role_of

User = get_user_model()


class CandidateProfileInline(admin.StackedInline):
    model = CandidateProfile
    can_delete = False
    max_num = 1
    verbose_name = "exam accommodation"
    verbose_name_plural = "exam accommodation"


class AccountAdmin(UserAdmin):
    inlines = [CandidateProfileInline]
    list_display = ["username", "email", "role", "is_active", "last_login"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, user) -> str:
        return role_of(user).value


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
