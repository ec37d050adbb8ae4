from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohorts"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from crss_prep.page_cache import user_changed

        from . import context_processors  # noqa: F401 -- connects the login receiver
        from .cache_versions import bump_member_cohorts, bump_membership_cohort
        from .models import Membership

        user_changed.connect(bump_member_cohorts, dispatch_uid="cohorts.member_changed")
        for signal in (post_save, post_delete):
            signal.connect(
                bump_membership_cohort, sender=Membership, dispatch_uid="cohorts.membership"
            )
