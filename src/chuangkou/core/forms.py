from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from .params import DATE_WINDOW_MESSAGE, FIRST_DAY, LAST_DAY
from .roles import Role


class DateInput(forms.DateInput):
    """The browser's date picker, ISO formatted (for DateField)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateField(forms.DateField):
    """A date of the calendar this platform works in (2000–2100 unless told otherwise).

    Every form's date goes through it, so `0001-01-01` or `9999-12-31` is a form error in
    Chinese rather than an overflow deep inside a working-day or year-on-year computation.
    """

    def __init__(self, *args, first_day=FIRST_DAY, last_day=LAST_DAY, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_day, self.last_day = first_day, last_day

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if not self.first_day <= value <= self.last_day:
            message = DATE_WINDOW_MESSAGE
            if (self.first_day, self.last_day) != (FIRST_DAY, LAST_DAY):
                message = f"日期须在 {self.first_day} 至 {self.last_day} 之间。"
            raise forms.ValidationError(message, code="date_window")


# One answer for a wrong password, an unknown user, an inactive and a locked account: it
# does not tell which usernames exist or which accounts are locked.
LOGIN_REFUSED = "用户名或密码不正确，或账号已被锁定。连续失败 5 次，账号将被锁定 30 分钟。"
LOGIN_THROTTLED = "登录尝试过于频繁，请稍后再试。"


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": LOGIN_REFUSED, "inactive": LOGIN_REFUSED}

    def get_invalid_login_error(self):
        if getattr(self.request, "login_throttled", False):
            return forms.ValidationError(LOGIN_THROTTLED, code="throttled")
        return super().get_invalid_login_error()


class OtpForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        help_text="手机验证器上的 6 位数字，或一个未用过的恢复码。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def add_domain_error(form: forms.Form, exc) -> None:
    """Show a DomainError on its field when the form has it, else above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class AccountCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        strip=False,
        help_text="本人首次登录时须修改。",
    )
    roles = forms.MultipleChoiceField(
        label="角色",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="系统管理员、安全管理员、审计员须单独持有，并经安全管理员批准后生效。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()


class AccountRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput, strip=False)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "new_password"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") != cleaned.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：取号机对接、数据大屏")
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=3650, initial=90)
