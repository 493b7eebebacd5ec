"""Vocabularies of the expert pool with their Chinese labels, and who may do what (role groups)."""

from __future__ import annotations

from sunshine.identity.roles import Role

# 职称等级 and the rank the rule ``min_title_rank`` compares (4 正高级 … 0 无职称)
TITLE_LEVELS: dict[str, str] = {
    "senior_full": "正高级",
    "senior": "副高级",
    "middle": "中级",
    "junior": "初级",
    "none": "无职称",
}
TITLE_RANK: dict[str, int] = {"senior_full": 4, "senior": 3, "middle": 2, "junior": 1, "none": 0}

EDUCATION: dict[str, str] = {
    "doctor": "博士研究生",
    "master": "硕士研究生",
    "bachelor": "大学本科",
    "college": "大学专科",
    "other": "其他",
}

APPLICATION_STATES: dict[str, str] = {
    "submitted": "待行业监督部门审核",
    "reviewed": "待交易管理委员会办公室审批",
    "approved": "已批准入库",
    "refused": "不予通过",
}
CHANNELS: dict[str, str] = {"self": "本人申请", "employer": "所在单位推荐"}

SANCTION_KINDS: dict[str, str] = {"suspension": "暂停评标", "ban": "禁止评标"}

CONFLICT_RELATIONS: dict[str, str] = {
    "former_employer": "三年内曾在该单位任职",
    "relative": "近亲属在该单位任职或持股",
    "interest": "与该单位有经济利益关系",
    "other": "其他可能影响公正评审的关系",
}

# 考核评价等级
CONDUCT_KINDS: dict[str, str] = {"late": "迟到", "absent": "缺席", "improper": "评标行为不当"}
GRADES: dict[str, str] = {"excellent": "优秀", "good": "合格", "basic": "基本合格", "poor": "不合格"}

# Who does what. The pool is managed by the office of the trading management committee (交管办); the industry
# supervisory department (行业监督部门) reviews applications; the centre runs the draws and keeps the records.
REVIEWERS = (Role.INDUSTRY_SUPERVISOR,)
APPROVERS = (Role.COMMITTEE_OFFICE,)
MANAGERS = (Role.COMMITTEE_OFFICE,)  # re-appointment, evaluation, removal
SANCTIONERS = (Role.COMMITTEE_OFFICE, Role.INDUSTRY_SUPERVISOR)  # suspension, ban
RECORDERS = (Role.COMMITTEE_OFFICE, Role.CENTRE_STAFF)  # leave, training, conflicts on an expert's behalf
TREE_EDITORS = (Role.CENTRE_STAFF, Role.COMMITTEE_OFFICE)
# Staff who see the pool with the experts' personal data (contact, date of birth, ID number)
PERSONAL_READERS = (Role.COMMITTEE_OFFICE, Role.CENTRE_STAFF, Role.INDUSTRY_SUPERVISOR)
# Staff who see the pool list and each expert's record (without personal data unless also above)
POOL_READERS = (*PERSONAL_READERS, Role.SUPERVISOR)
