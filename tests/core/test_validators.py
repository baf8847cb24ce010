"""ID/phone validators, masking and the working-day calendar (pure functions, no database)."""

import datetime as dt

import chinese_calendar
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuangkou.core.calendar import add_working_days, is_working_day
from chuangkou.core.errors import DomainError
from chuangkou.core.masking import mask_id_number, mask_phone
from chuangkou.core.validators import (
    ID_BIRTH_MIN,
    id_check_digit,
    validate_id_number,
    validate_mobile,
)

from ..factories import make_id_number

# The autouse settings fixture is function scoped; it sets nothing an example depends on.
relaxed = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


# --- GB 11643 check digit -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        # The worked example of GB 11643-1999: 11010519491231002X.
        ("11010519491231002", "X"),
        # 4*7 + 4*9 + 0*10 + 5*5 + 2*8 + 4*4 + 1*2 + 8*1 + 8*6 + 0*3 + 0*7 + 1*9 + 0*10
        # + 1*5 + 0*8 + 0*4 + 1*2 = 195; 195 % 11 = 8; "10X98765432"[8] = "4"
        ("44052418800101001", "4"),
        # 3*7 + 3*9 + 0 + 1*5 + 0 + 3*4 + 1*2 + 9*1 + 8*6 + 0 + 0 + 1*9 + 0 + 1*5 + 0 + 0 + 1*2
        # = 140; 140 % 11 = 8; "10X98765432"[8] = "4"
        ("33010319800101001", "4"),
    ],
)
def test_id_check_digit_known_numbers(first17, check):
    assert id_check_digit(first17) == check


def test_validate_id_number_accepts_valid_and_normalises_x():
    assert validate_id_number("11010519491231002x") == "11010519491231002X"
    assert validate_id_number("  " + make_id_number(5) + " ") == make_id_number(5)
    assert validate_id_number("") == ""


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1101051949123100", "18 位"),  # too short
        ("11010519491231002Y", "18 位"),  # bad last character
        ("110105194913310021", "出生日期"),  # month 13
        ("110105194902300023", "出生日期"),  # 30 February
        ("110105194912310021", "校验位"),  # wrong check digit (should be X)
    ],
)
def test_validate_id_number_refuses(value, fragment):
    with pytest.raises(DomainError) as exc:
        validate_id_number(value, field="sfz")
    assert fragment in exc.value.message
    assert exc.value.field == "sfz"


def test_validate_mobile():
    assert validate_mobile("138 1234-5678") == "13812345678"
    assert validate_mobile("") == ""
    for bad in ("12812345678", "1381234567", "138123456789", "0571-8888888", "abc"):
        with pytest.raises(DomainError) as exc:
            validate_mobile(bad)
        assert exc.value.field == "phone"
        assert "11 位" in exc.value.message


@relaxed
@given(st.integers(min_value=0, max_value=10**6))
def test_every_generated_id_number_is_valid(n):
    value = make_id_number(n)
    assert validate_id_number(value) == value


def _accepted_check_characters(first17):
    accepted = []
    for last in "0123456789X":
        try:
            validate_id_number(first17 + last)
            accepted.append(last)
        except DomainError:
            pass
    return accepted


@relaxed
@given(st.from_regex(r"\A\d{17}\Z"))
def test_exactly_one_check_character_is_accepted(first17):
    # Only numbers whose birth date is a real day between 1900-01-01 and today are accepted.
    try:
        born = dt.date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
        born_ok = ID_BIRTH_MIN <= born <= timezone.localdate()
    except ValueError:
        born_ok = False
    assert _accepted_check_characters(first17) == ([id_check_digit(first17)] if born_ok else [])


@relaxed
@given(
    st.from_regex(r"\A\d{6}\Z"),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 4)),
    st.from_regex(r"\A\d{3}\Z"),
)
def test_exactly_one_check_character_is_accepted_for_plausible_births(region, born, sequence):
    # Random 17-digit strings rarely hold a plausible date; this covers the accepting side.
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    assert _accepted_check_characters(first17) == [id_check_digit(first17)]


def _with_birth(born: dt.date) -> str:
    first17 = f"110105{born:%Y%m%d}002"
    return first17 + id_check_digit(first17)


def test_id_birth_date_must_lie_between_1900_and_today():
    today = timezone.localdate()
    for born in (dt.date(1900, 1, 1), dt.date(1949, 12, 31), today):
        assert validate_id_number(_with_birth(born)) == _with_birth(born)
    for born in (dt.date(1899, 12, 31), today + dt.timedelta(days=1), dt.date(2999, 1, 1)):
        with pytest.raises(DomainError) as exc:
            validate_id_number(_with_birth(born), field="sfz")
        assert "出生日期" in exc.value.message
        assert exc.value.field == "sfz"


# --- masking --------------------------------------------------------------------------------


def test_masking_examples():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("057187654321") == "********4321"
    assert mask_phone("1234") == "****"
    assert mask_id_number("1234567") == "*******"
    assert mask_phone("") == mask_phone(None) == ""
    assert mask_id_number(None) == ""


@relaxed
@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_masked_id_keeps_only_first_three_and_last_four(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked[:3] == value[:3]
    assert masked[-4:] == value[-4:]
    assert masked[3:-4] == "*" * 11


@relaxed
@given(st.text(min_size=0, max_size=40))
def test_masking_never_reveals_more_than_kept_characters(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    shown = [i for i, c in enumerate(masked) if c != "*"]
    kept = set(range(3)) | set(range(len(value) - 4, len(value))) if len(value) > 7 else set()
    assert set(shown) <= kept
    for i in shown:
        assert masked[i] == value[i]

    masked_phone = mask_phone(value)
    assert len(masked_phone) == len(value)
    revealed = sum(1 for a, b in zip(masked_phone, value, strict=True) if a == b and a != "*")
    assert revealed <= 7  # 11-digit mobiles keep 3 + 4; anything else keeps at most 4
    if not (len(value) == 11 and value.isdigit()):
        assert all(c == "*" for c in masked_phone[: max(0, len(value) - 4)])


@relaxed
@given(st.from_regex(r"\A1[3-9]\d{9}\Z"))
def test_masked_mobile_hides_the_middle_four(phone):
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]


# --- working days ---------------------------------------------------------------------------


def test_calendar_agrees_with_state_council_2018():
    # Spring Festival 2018: 15-21 February off, Sunday 11 and Saturday 24 February worked.
    assert chinese_calendar.is_workday(dt.date(2018, 2, 24))
    assert chinese_calendar.is_workday(dt.date(2018, 2, 11))
    assert not any(is_working_day(dt.date(2018, 2, d)) for d in range(15, 22))
    # National Day 2018: 1-7 October off, Saturday 29 and Sunday 30 September worked.
    assert is_working_day(dt.date(2018, 9, 29)) and is_working_day(dt.date(2018, 9, 30))
    assert not any(is_working_day(dt.date(2018, 10, d)) for d in range(1, 8))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (dt.date(2018, 2, 14), 3, dt.date(2018, 2, 24)),  # 22, 23, then the make-up Saturday
        (dt.date(2018, 2, 14), 1, dt.date(2018, 2, 22)),
        (dt.date(2018, 2, 10), 1, dt.date(2018, 2, 11)),  # make-up Sunday
        (dt.date(2018, 9, 28), 1, dt.date(2018, 9, 29)),  # make-up Saturday
        (dt.date(2018, 9, 28), 2, dt.date(2018, 9, 30)),  # make-up Sunday
        (dt.date(2018, 9, 28), 3, dt.date(2018, 10, 8)),  # over the National Day week
        (dt.date(2018, 10, 3), 0, dt.date(2018, 10, 3)),  # zero days: the start itself
        (dt.date(2018, 6, 8), 1, dt.date(2018, 6, 11)),  # an ordinary weekend
    ],
)
def test_add_working_days_hand_checked(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_working_days_refuses_negative():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2018, 1, 2), -1)


@relaxed
@given(
    st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2024, 12, 31)),
    st.integers(min_value=0, max_value=30),
)
def test_add_working_days_lands_on_working_days_and_increases(start, n):
    result = add_working_days(start, n)
    if n == 0:
        assert result == start
        return
    assert is_working_day(result)
    assert result > add_working_days(start, n - 1)
    # exactly n working days in (start, result]
    days = (result - start).days
    counted = sum(is_working_day(start + dt.timedelta(days=i)) for i in range(1, days + 1))
    assert counted == n


def test_years_beyond_the_installed_calendar_fall_back_to_weekdays():
    from chuangkou.core.calendar import add_working_days, calendar_covers, is_working_day

    far = dt.date(2031, 1, 3)  # a Friday, in a year chinese_calendar does not know
    assert not calendar_covers(far)
    assert is_working_day(far)
    assert not is_working_day(dt.date(2031, 1, 4))
    assert add_working_days(far, 1) == dt.date(2031, 1, 6)
