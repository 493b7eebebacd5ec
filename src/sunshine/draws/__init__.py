"""Publicly verifiable draws (公开抽取): a generic engine that owners (committees, small works) hand candidates to."""
