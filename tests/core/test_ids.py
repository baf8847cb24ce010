"""core.ids.time_ordered_uuid: a UUID version 7 whose order follows the time it was made."""

import time
import uuid

from chuangkou.core.ids import time_ordered_uuid


def test_it_is_a_version_7_uuid_with_the_time_in_milliseconds():
    before = time.time_ns() // 1_000_000
    token = time_ordered_uuid()
    after = time.time_ns() // 1_000_000
    assert token.version == 7 and token.variant == uuid.RFC_4122
    assert before <= token.int >> 80 <= after
    assert uuid.UUID(str(token)) == token


def test_later_tokens_sort_after_earlier_ones_and_none_repeats():
    first = [time_ordered_uuid() for _ in range(2_000)]
    time.sleep(0.002)  # the next millisecond: every later token sorts after every earlier one
    later = [time_ordered_uuid() for _ in range(2_000)]
    assert max(first) < min(later)
    assert len(set(first + later)) == 4_000
