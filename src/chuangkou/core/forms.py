from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm

from .auth import lock_remaining
from .roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续失败 5 次，账号将被锁定 30 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
        "locked": (
            "该账号因多次登录失败已被锁定，请在 %(minutes)d 分钟后再试，或联系安全管理员解锁。"
        ),
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


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class AccountCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()


class AccountRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：取号机对接、数据大屏")
