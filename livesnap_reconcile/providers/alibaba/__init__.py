"""Alibaba Cloud ICE (2020-11-09) live snapshot jobs and templates."""
