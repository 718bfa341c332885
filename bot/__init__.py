"""Telegram-facing code of the sciatica stretching coach: application, handlers, rendering."""
