"""Manifest language v1: safe YAML loading with line marks, validation, and pure expansion to desired state."""
