"""Telling people: portal notifications and the e-mail outbox."""
