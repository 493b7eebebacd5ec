"""``sunshine bid …``: the bidder's command line for sealed electronic bids, talking to the platform's API.

``seal`` encrypts the bid on this machine: the content key stays in ``bid.key`` (mode 0600) and never
leaves it before the opening. ``submit`` sends only the ciphertext and the key commitment, retrying
timeouts, lost connections and 5xx answers under the one idempotency key chosen at sealing (so a lost
answer can never create a second bid), and checks the signed receipt at once. ``verify-receipt`` checks
a receipt offline; ``reveal`` hands the key over at the opening; ``withdraw``, ``status`` and ``login``
complete the set. ``keygen``, ``register-key`` and ``keys`` manage the signer's signing key, and ``submit --key``
signs the sealed bid with it (docs/signing.md). Formats and rules: docs/bidding.md.
"""

from __future__ import annotations

import typer

from sunshine.client import bids, sealing, signing_keys, verification

app = typer.Typer(help="电子投标：本机加密投标文件、递交、核验回执、开标解密", no_args_is_help=True)
app.command("login")(bids.login)
app.command("seal")(sealing.seal)
app.command("submit")(bids.submit)
app.command("verify-receipt")(verification.verify_receipt)
app.command("reveal")(bids.reveal)
app.command("withdraw")(bids.withdraw)
app.command("status")(bids.status)
app.command("keygen")(signing_keys.keygen)
app.command("register-key")(signing_keys.register_key)
app.command("keys")(signing_keys.keys)
