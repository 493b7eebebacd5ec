"""The bidder's command-line client (``sunshine bid …``): seals a bid on the bidder's machine and talks to
the platform through its JSON API only — never through the server's models, services or database. It
shares with the server only the pure formats: the sealed-bid envelope (``bidding.envelope``) and the
receipt check (``bidding.receipts``)."""
