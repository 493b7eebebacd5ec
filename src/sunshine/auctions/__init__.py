"""Online auctions (网上竞价) for land, mining and property rights: listing (挂牌) and auction (拍卖)
projects, qualified bidders with anonymous paddle numbers, ordered bids in the ledger, a timed final
round, a reserve price kept secret by a commitment, and the published result."""
