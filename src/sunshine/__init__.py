"""Sunshine 阳光交易: a public resource trading platform with full-process government disclosure."""

__version__ = "0.1.0"
