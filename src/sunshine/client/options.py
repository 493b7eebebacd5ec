"""The options the bidder's commands share (server, token file, sign-in, timeouts, retries, trusted key)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ServerOpt = Annotated[
    str | None,
    typer.Option("--server", envvar="SUNSHINE_BID_SERVER", help="平台地址，如 https://ggzy.example.gov.cn"),
]
TokenFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--token-file",
        envvar="SUNSHINE_BID_TOKEN_FILE",
        help="访问令牌文件（sunshine bid login 保存的文件，或只含令牌的文本文件）",
    ),
]
UsernameOpt = Annotated[
    str | None, typer.Option("--username", envvar="SUNSHINE_BID_USERNAME", help="投标单位账号的用户名")
]
PasswordOpt = Annotated[
    str | None,
    typer.Option("--password", envvar="SUNSHINE_BID_PASSWORD", help="密码；缺省时提示输入（不回显）"),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="单次请求的超时（秒）")]
RetriesOpt = Annotated[int, typer.Option("--retries", min=0, max=20, help="超时、断线或服务器错误时的重试次数")]
DirArg = Annotated[Path, typer.Argument(help="sunshine bid seal 写出的投标目录")]
PublicKeyFileOpt = Annotated[
    Path | None, typer.Option("--public-key-file", help="信任的平台公钥 PEM 文件（/api/v1/ledger/key.pem）")
]
PublicKeyB64Opt = Annotated[
    str | None, typer.Option("--public-key-b64", help="信任的平台公钥，Base64（/api/v1/ledger/key 的 public_key）")
]
