"""Tender documents checked before they go out (招标文件编制、审核确认、备案) and the holders' acknowledgements
of every change to them (签收回执); docs/tenderdocs.md."""
