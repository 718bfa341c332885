"""Pending typed answers: any command ends the wait; a question repeated after other text."""
