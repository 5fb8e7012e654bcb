"""Tencent Cloud Live (2018-08-01) screenshot tasks and snapshot templates."""
