"""Sealed electronic bids (电子投标文件): sealing on the bidder's side, submission with signed receipts,
the opening session (开标) with decryption by each bidder, and the opening record (开标记录)."""
