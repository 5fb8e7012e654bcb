"""Providers: signed vendor clients behind one Provider protocol (refresh and one write at a time)."""
