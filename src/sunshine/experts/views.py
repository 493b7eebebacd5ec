"""Pages of the expert pool."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from sunshine.web.csrf import check_csrf

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
