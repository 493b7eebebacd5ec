"""What disclosure governance hands to other domains at ``domains.install()``: the annual report's table 二 counts
the rules (规章) and normative documents (行政规范性文件) adopted on the platform after public consultation in
the year (本年制发件数), shown beside the office's own figure."""

from __future__ import annotations

from sunshine.governance import consultations


def install() -> None:
    from sunshine.inforequests import report

    report.register_figure(
        "regulations",
        "made",
        "本年公开征求意见后审定公布的规章",
        lambda session, year: consultations.adopted_in(session, year, ("regulation",)),
    )
    report.register_figure(
        "normative",
        "made",
        "本年公开征求意见后审定公布的规范性文件",
        lambda session, year: consultations.adopted_in(session, year, ("normative",)),
    )
