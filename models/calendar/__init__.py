"""iCalendar (RFC 5545) feeds that Google Calendar, Outlook and Apple Calendar subscribe to."""
