"""The log of the server and worker processes: uvicorn's format with the time and the process id on every
line (several processes write to one journal: which worker answered a request, which one ran the tick),
and the platform's own ``sunshine.*`` loggers at INFO beside uvicorn's."""

from __future__ import annotations

import copy
import logging.config
from typing import Any

PREFIX = "%(asctime)s %(levelprefix)s [%(process)d]"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def log_config() -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dictionary, for ``uvicorn.run(log_config=...)`` and the worker."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["default"].update(fmt=f"{PREFIX} %(message)s", datefmt=DATE_FORMAT)
    config["formatters"]["access"].update(
        fmt=f'{PREFIX} %(client_addr)s - "%(request_line)s" %(status_code)s', datefmt=DATE_FORMAT
    )
    config["loggers"]["sunshine"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def configure() -> None:
    """The same log for a process that is not a uvicorn server (``sunshine worker``)."""
    logging.config.dictConfig(log_config())
