"""Alibaba Cloud ICE: the kinds livesnap manages there (the API client lives in `providers.alibaba`)."""
