"""The roles of DESIGN §2. A user may hold several; an anonymous visitor is the public. Roles inside a market
participant (``ORGANISATION_ROLES``) are granted by that organisation's own administrator, the others by the platform
administrator."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    BIDDER = "bidder"  # 投标人/供应商/竞买人
    TENDERER = "tenderer"  # 招标人/采购人
    AGENCY = "agency"  # 代理机构
    EXPERT = "expert"  # 评标专家
    CENTRE_STAFF = "centre_staff"  # 交易中心工作人员
    SUPERVISOR = "supervisor"  # 行政监督部门
    SOCIAL_SUPERVISOR = "social_supervisor"  # 社会监督员
    DISCLOSURE_OFFICE = "disclosure_office"  # 政务公开办
    ADMIN = "admin"  # 系统管理员
    ENTERPRISE_ADMIN = "enterprise_admin"  # 企业管理员
    INDUSTRY_SUPERVISOR = "industry_supervisor"  # 行业监督部门
    COMMITTEE_OFFICE = "committee_office"  # 公共资源交易管理委员会办公室
    GOVERNMENT_AFFAIRS = "government_affairs"  # 政务办
    EVALUATOR = "evaluator"  # 第三方评估机构
    SIGNER = "signer"  # 签章人：以本单位登记的签名密钥签署投标文件和文书
    ORG_VIEWER = "org_viewer"  # 本单位查看人员：只读本单位的报名、投标和消息

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.BIDDER: "投标人/供应商",
    Role.TENDERER: "招标人/采购人",
    Role.AGENCY: "代理机构",
    Role.EXPERT: "评标专家",
    Role.CENTRE_STAFF: "交易中心",
    Role.SUPERVISOR: "行政监督部门",
    Role.SOCIAL_SUPERVISOR: "社会监督员",
    Role.DISCLOSURE_OFFICE: "政务公开办",
    Role.ADMIN: "系统管理员",
    Role.ENTERPRISE_ADMIN: "企业管理员",
    Role.INDUSTRY_SUPERVISOR: "行业监督部门",
    Role.COMMITTEE_OFFICE: "公共资源交易管理委员会办公室",
    Role.GOVERNMENT_AFFAIRS: "政务办",
    Role.EVALUATOR: "第三方评估机构",
    Role.SIGNER: "签章人",
    Role.ORG_VIEWER: "本单位查看人员",
}

# Roles held inside a market participant (企业、代理机构、招标人/采购人). Only the organisation's own administrator
# grants or removes them; the platform administrator may only deactivate such a user (issue: an administrator
# must never be able to act for a bidder).
ORGANISATION_ROLES: frozenset[Role] = frozenset(
    {Role.ENTERPRISE_ADMIN, Role.BIDDER, Role.SIGNER, Role.ORG_VIEWER, Role.AGENCY, Role.TENDERER}
)
