"""Cohorts and memberships in the admin: superusers only (see accounts/admin_access.py).
Trainers are staff too, and a cohort's join code and members are no part of authoring."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count

from accounts.admin_access import SuperusersOnly
from accounts.roles import COHORT_LEADS

from . import services
from .models import Cohort, Membership


class MembershipInline(SuperusersOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "joined_at"]


@admin.register(Cohort)
class CohortAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["name", "join_code", "code_expires_at", "member_count", "created_at"]
    search_fields = ["name", "join_code", "leads__username"]
    filter_horizontal = ["leads"]
    readonly_fields = ["created_at"]
    fields = ["name", "leads", "join_code", "code_expires_at", "created_at"]
    inlines = [MembershipInline]
    actions = ["regenerate_join_codes"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "leads":
            # Only the group opens the lead pages: anyone else named here would see nothing.
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=COHORT_LEADS)
            kwargs["help_text"] = "Members of the Cohort leads group."
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="members", ordering="member_count")
    def member_count(self, cohort: Cohort) -> int:
        return cohort.member_count

    @admin.action(description="Regenerate the join code (the old one stops working)")
    def regenerate_join_codes(self, request, queryset):
        for cohort in queryset:
            services.regenerate_join_code(cohort=cohort)
        self.message_user(request, f"New join codes for {queryset.count()} cohort(s).")


@admin.register(Membership)
class MembershipAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["user", "cohort", "joined_at"]
    list_filter = ["cohort"]
    search_fields = ["user__username", "cohort__name"]
    autocomplete_fields = ["user", "cohort"]
