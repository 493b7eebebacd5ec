"""Properties of the sealed-bid format: what is sealed opens to exactly the same form and documents with
its key and binding, and with nothing else; prices keep their cents; the commitment names one key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.bidding import envelope

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999999999.99"), places=2)
texts = st.text(max_size=200)
documents = st.lists(
    st.builds(
        envelope.Document,
        name=st.text(min_size=1, max_size=40),
        content_type=st.sampled_from(["application/pdf", "text/plain", "application/octet-stream"]),
        data=st.binary(max_size=2048),
    ),
    max_size=4,
)
bindings = st.tuples(
    st.from_regex(r"[0-9]{6}[A-Z][0-9]{11}[0-9A-Z]", fullmatch=True),
    st.integers(min_value=1, max_value=99),
    st.from_regex(r"[0-9A-HJ-NPQRTUWXY]{18}", fullmatch=True),
)


@settings(max_examples=60, deadline=None)
@given(price=prices, duration=st.none() | st.integers(1, 36500), quality=texts, docs=documents, where=bindings)
def test_what_is_sealed_opens_unchanged_with_its_key_and_binding(price, duration, quality, docs, where):
    key = envelope.new_key()
    form = envelope.make_form(price, duration, quality, "")
    aad = envelope.binding(*where)
    sealed = envelope.seal(envelope.build_package(form, docs), key, aad)
    package = envelope.parse_package(envelope.open_sealed(sealed, key, aad))
    assert package.form == form and package.form.price == price
    assert [(d.name[:255], d.data) for d in package.documents] == [(d.name[:255], d.data) for d in docs]


@settings(max_examples=40, deadline=None)
@given(price=prices, where=bindings, other=bindings, flip=st.integers(min_value=0))
def test_another_key_binding_or_a_changed_byte_never_opens(price, where, other, flip):
    key = envelope.new_key()
    aad = envelope.binding(*where)
    sealed = envelope.seal(envelope.build_package(envelope.make_form(price), []), key, aad)
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_sealed(sealed, envelope.new_key(), aad)
    if other != where:
        with pytest.raises(envelope.EnvelopeError):
            envelope.open_sealed(sealed, key, envelope.binding(*other))
    position = len(envelope.MAGIC) + flip % (len(sealed) - len(envelope.MAGIC))
    tampered = sealed[:position] + bytes([sealed[position] ^ 0x01]) + sealed[position + 1 :]
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_sealed(tampered, key, aad)


@settings(max_examples=50, deadline=None)
@given(a=st.binary(min_size=32, max_size=32), b=st.binary(min_size=32, max_size=32))
def test_the_commitment_names_exactly_one_key(a, b):
    assert (envelope.key_commitment(a) == envelope.key_commitment(b)) == (a == b)
    assert envelope.key_from_text(envelope.key_to_text(a)) == a


@given(value=st.one_of(st.text(max_size=20), st.decimals(allow_nan=True, allow_infinity=True), st.integers()))
def test_a_price_is_accepted_only_as_positive_yuan_with_at_most_two_places(value):
    try:
        price = envelope.parse_price(value)
    except envelope.EnvelopeError:
        return
    assert price > 0 and price == price.quantize(Decimal("0.01")) and price.is_finite()
