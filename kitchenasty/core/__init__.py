"""Plumbing shared by every domain. Never imports a domain package."""
