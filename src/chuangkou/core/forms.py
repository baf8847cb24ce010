from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from .auth import lock_remaining


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续失败 5 次，账号将被锁定 30 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
        "locked": "该账号因多次登录失败已被锁定，请在 %(minutes)d 分钟后再试，或联系安全管理员解锁。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            user = get_user_model().objects.filter(username=username).first()
            remaining = lock_remaining(user) if user else None
            if remaining:
                minutes = int(remaining.total_seconds() // 60) + 1
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": minutes}
                )
        cleaned = super().clean()
        return cleaned


def add_domain_error(form: forms.Form, exc) -> None:
    """Show a DomainError on its field when the form has it, else above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
