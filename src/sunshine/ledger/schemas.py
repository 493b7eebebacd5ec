"""The typed answers of the public ledger API (全程留痕), as the OpenAPI document describes them to an outside
auditor: heads, entries, inclusion and consistency proofs, the key, and the listing of signed heads. The
routes build plain dicts; these models only type and document them (docs/ledger.md says how to check each)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class HeadOut(BaseModel):
    log_id: str = Field(description="日志标识，恒为 sunshine-ledger-v1")
    size: int = Field(description="树大小：该树头覆盖序号 0 至 size-1 的记录")
    root_hash: str = Field(description="树根，SHA-256，十六进制小写")
    signed_at: str = Field(
        description="签名时间（UTC，ISO 8601，微秒，末尾 Z）：平台签署该树头的时刻；不早于其覆盖的任何一条记录的"
        "记录时间，且树头按大小排序时签名时间不减（docs/ledger.md「时间规则」）"
    )
    key_id: str = Field(description="签名公钥的 SHA-256（十六进制）")
    signature: str = Field(
        description="Ed25519 签名（Base64），签名内容为 log_id|tree-head|size|root_hash|signed_at|key_id"
    )


class HeadsPage(BaseModel):
    heads: list[HeadOut] = Field(description="签名树头，按大小升序")
    next_cursor: str | None = Field(description="下一页的 cursor 参数；为 null 表示已是最后一页")


class EntryOut(BaseModel):
    seq: int = Field(description="序号，即叶子在树中的位置（从 0 起）")
    kind: str = Field(description="事件类型代码（页面显示其中文名称）")
    subject: str = Field(description="对象代码，如 project:12")
    payload: dict[str, Any] = Field(description="记录内容（JSON）")
    payload_sha256: str = Field(description="内容按 RFC 8785 规范化后的 SHA-256")
    recorded_at: str = Field(description="记录时间（UTC，ISO 8601，微秒，末尾 Z），按序号不减")
    leaf_hash: str = Field(description="叶子哈希 = SHA-256(0x00 ‖ leaf_input)")


class EntriesPage(BaseModel):
    entries: list[EntryOut]
    next_start: int | None = Field(description="下一页的 start 参数；为 null 表示已读完")


class InclusionOut(BaseModel):
    entry: EntryOut
    leaf_index: int
    tree_size: int
    leaf_input: str = Field(description="sunshine-ledger-v1|seq|kind|subject|payload_sha256|recorded_at（UTF-8）")
    audit_path: list[str] = Field(description="RFC 9162 §2.1.3 审计路径，自叶向根；单叶树为空")
    head: HeadOut


class ConsistencyOut(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(
        description="RFC 9162 §2.1.4 一致性证明。first=0（空树与任何树一致）或 first=second（同一棵树）时为空列表，"
        "验证者应直接认定一致并只核对 second_head 的签名（RFC 9162 的算法本身不接受这两种情形）"
    )
    first_head: HeadOut | None = Field(description="旧树头；first=0 时为 null")
    second_head: HeadOut


class KeyOut(BaseModel):
    algorithm: str
    key_id: str
    public_key: str = Field(description="Ed25519 公钥原始 32 字节（Base64）")
    public_key_pem: str
    log_id: str
