"""Known-answer tests of the signature algorithms (SM3, SM2 with SM3, Ed25519) and the key encodings."""

from __future__ import annotations

import base64

import pytest
from gmalg import ellipticcurve as ec
from gmalg.sm2 import SM2Core
from gmalg.sm3 import SM3

from sunshine.signing import crypto


def test_sm3_abc():
    # GB/T 32905-2016 附录 A 示例 1 (also GM/T 0004-2012): SM3("abc")
    digest = SM3()
    digest.update(b"abc")
    assert digest.value().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm2_signature_known_answer():
    # GB/T 32918.2-2016 附录 A.2 (GM/T 0003.2-2012 附录 A; draft-shen-sm2-ecdsa-02 A.2): the Fp-256 example curve,
    # user ID "ALICE123@YAHOO.COM", message "message digest", fixed random k.
    curve = ec.ECDLP(
        0x8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3,
        0x787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498,
        0x63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A,
        (
            0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D,
            0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2,
        ),
        0x8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7,
    )
    d = 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263
    k = 0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F
    core = SM2Core(curve, SM3(), lambda bits: k)
    public = core.generate_pk(d)
    assert public == (
        0x0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A,
        0x7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857,
    )
    r, s = core.sign(b"message digest", d, b"ALICE123@YAHOO.COM", public)
    assert r == 0x40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1
    assert s == 0x6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7
    assert core.verify(b"message digest", r, s, b"ALICE123@YAHOO.COM", public)
    assert not core.verify(b"message digesT", r, s, b"ALICE123@YAHOO.COM", public)
    assert not core.verify(b"message digest", r, s, b"1234567812345678", public)


def test_ed25519_rfc8032_test_1():
    # RFC 8032 §7.1 TEST 1: empty message
    public = base64.b64encode(
        bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    ).decode()
    signature = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert crypto.verify("ed25519", public, b"", signature)
    assert not crypto.verify("ed25519", public, b"x", signature)
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    assert crypto.public_of("ed25519", seed) == public
    assert crypto.sign("ed25519", seed, b"") == signature


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
def test_round_trip_and_refusals(algorithm):
    private, public = crypto.generate(algorithm)
    assert crypto.public_of(algorithm, private) == crypto.normalise(algorithm, public)
    signature = crypto.sign(algorithm, private, b"sunshine")
    assert len(signature) == 64
    assert crypto.verify(algorithm, public, b"sunshine", signature)
    assert not crypto.verify(algorithm, public, b"sunshinE", signature)
    assert not crypto.verify(algorithm, public, b"sunshine", signature[:-1] + bytes([signature[-1] ^ 1]))
    assert not crypto.verify(algorithm, public, b"sunshine", signature[:63])
    assert not crypto.verify(algorithm, "not a key", b"sunshine", signature)
    _, other = crypto.generate(algorithm)
    assert not crypto.verify(algorithm, other, b"sunshine", signature)
    fp = crypto.fingerprint(algorithm, public)
    assert len(fp) == 64 and fp != crypto.fingerprint(algorithm, other)


def test_key_formats_are_checked():
    with pytest.raises(crypto.KeyFormatError):
        crypto.key_bytes("ed25519", base64.b64encode(b"short").decode())
    with pytest.raises(crypto.KeyFormatError):
        crypto.key_bytes("sm2", "04" + "00" * 64)  # not on the curve
    with pytest.raises(crypto.KeyFormatError):
        crypto.key_bytes("rsa", "x")
    assert not crypto.verify("sm2", "04" + "11" * 64, b"m", b"\x01" * 64)
