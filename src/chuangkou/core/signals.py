from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .auth import register_failed_login, register_login
from .roles import ROLE_MODEL_PERMISSIONS, Role


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    register_login(user)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    register_failed_login(str(credentials.get("username", "")))


def sync_role_groups(**kwargs) -> None:
    """Every role's group exists and carries its model permissions (idempotent)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        for codename in ROLE_MODEL_PERMISSIONS.get(role, []):
            app_label, code = codename.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=code
            ).first()
            if perm is not None:
                group.permissions.add(perm)
