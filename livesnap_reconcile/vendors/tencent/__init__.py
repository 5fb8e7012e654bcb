"""Tencent Cloud Live: the kinds livesnap manages there (the API client lives in `providers.tencent`)."""
