"""The workflows behind the commands: sessions, plan, apply, drift and import, without any UI.

`cli` parses flags, calls these and renders what they return; nothing here prints or knows
click, so another front end (a service, a test) can drive the same steps.
"""
