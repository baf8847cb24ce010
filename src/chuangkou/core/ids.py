"""Identifiers."""

import secrets
import time
import uuid


def time_ordered_uuid() -> uuid.UUID:
    """A UUID version 7 (RFC 9562): the Unix time in milliseconds (48 bits), then 74 random bits.

    For a public token of a table that grows all day (a ticket's QR link): still unguessable, but
    each new token sorts after the earlier ones, so its unique index grows at its end. A random
    (version 4) token lands on any leaf of that index, which with years of tickets no longer fits
    in memory: each issue then read index pages from disk. It shows when it was made, as the
    ticket itself does."""
    millis = time.time_ns() // 1_000_000 & (1 << 48) - 1
    random = int.from_bytes(secrets.token_bytes(10), "big")
    rand_a, rand_b = random >> 62 & 0xFFF, random & (1 << 62) - 1
    return uuid.UUID(int=millis << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b)
