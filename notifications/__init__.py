"""Notifications: what happened that a person should know, in the admin's bell and by e-mail.

The app knows people, kinds and addresses, never claims: claims decides who hears of what (claims/notices.py)
and calls `notifications.services.notify`. Each person chooses per kind how they are told
(`NotificationPreference`): at once by e-mail, in one daily digest, or not at all (no e-mail and no bell item).
"""
