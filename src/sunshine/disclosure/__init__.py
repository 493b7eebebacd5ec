"""Disclosure (政务公开): the three-level catalog (公开事项目录), the obligations lifecycle events create, the
publication pipeline with its confidentiality review (保密审查) and the compliance dashboard.

The trading lifecycle calls ``owe`` to declare what a step must disclose and ``publish_from_step`` to publish
its own notice through the review; everything else goes through ``publications``.
"""

from sunshine.disclosure.obligations import owe
from sunshine.disclosure.publications import HeldForReview, publish_from_step

__all__ = ["owe", "publish_from_step", "HeldForReview"]
