"""Column lengths that input is also checked against before any query (longer input cannot match)."""

SLUG_LENGTH = 80
FEED_TOKEN_LENGTH = 80
PHONE_LENGTH = 40
