#!/usr/bin/env python3
# tests/integration/dccgen.py: a fresh EU DCC for the window tests, signed now by a test
# document signer made here: HC1: + Base45(zlib(COSE_Sign1 ES256 over a CWT with the health
# certificate claim)). Writes DIR/dsc.pem (the signer certificate, for `stationctl keys
# import`) and DIR/dcc.txt (the QR text). Usage: dccgen.py DIR [--test] [--signers N]
# (--test: a negative test instead of a vaccination; --signers N: dsc.pem is a signer list of
# N certificates, the real signer somewhere in the middle).
import datetime
import hashlib
import sys
import time
import zlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cbor(v):
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, bytes):
        return cbor_head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, list):
        return cbor_head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    if isinstance(v, tuple) and v[0] == "tag":
        return cbor_head(6, v[1]) + cbor(v[2])
    raise TypeError(type(v))


B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45(data):
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += [B45[c], B45[d], B45[e]]
    if len(data) % 2:
        c, d = divmod(data[-1], 45)
        out += [B45[d], B45[c]]
    return "".join(out)


def main():
    out = sys.argv[1]
    test = "--test" in sys.argv
    now = int(time.time())
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "healthkiosk test DSC")])
    t0 = datetime.datetime.fromtimestamp(now - 86400, datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(t0).not_valid_after(t0 + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    kid = hashlib.sha256(der).digest()[:8]
    if test:
        event = {"t": [{"tg": "840539006", "tt": "LP6464-4", "sc": "2021-06-01T10:00:00Z",
                        "tr": "260415000", "tc": "Testzentrum", "co": "DE",
                        "is": "Robert Koch-Institut",
                        "ci": "URN:UVCI:01DE/TEST/HKTEST2#3"}]}
    else:
        event = {"v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                        "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-05-29",
                        "co": "DE", "is": "Robert Koch-Institut",
                        "ci": "URN:UVCI:01DE/TEST/HKTEST1#7"}]}
    hcert = {"ver": "1.3.0", "dob": "1964-08-12",
             "nam": {"fn": "Musterfrau", "gn": "Erika", "fnt": "MUSTERFRAU", "gnt": "ERIKA"}}
    hcert.update(event)
    payload = cbor({1: "DE", 4: now + 30 * 86400, 6: now - 3600, -260: {1: hcert}})
    protected = cbor({1: -7, 4: kid})
    to_sign = cbor(["Signature1", protected, b"", payload])
    r, s = decode_dss_signature(key.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    cose = cbor(("tag", 18, [protected, {}, payload, sig]))
    n = int(sys.argv[sys.argv.index("--signers") + 1]) if "--signers" in sys.argv else 1
    others = []
    other_key = ec.generate_private_key(ec.SECP256R1())
    for i in range(n - 1):
        nm = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, ["DE", "FR", "AT", "IT"][i % 4]),
                        x509.NameAttribute(NameOID.COMMON_NAME, "other DSC %d" % i)])
        k = other_key if i % 10 else ec.generate_private_key(ec.SECP256R1())
        others.append(x509.CertificateBuilder().subject_name(nm).issuer_name(nm)
                      .public_key(k.public_key()).serial_number(x509.random_serial_number())
                      .not_valid_before(t0).not_valid_after(t0 + datetime.timedelta(days=365))
                      .sign(k, hashes.SHA256()))
    others.insert(len(others) // 2, cert)
    with open(out + "/dsc.pem", "wb") as f:
        for c in others:
            f.write(c.public_bytes(serialization.Encoding.PEM))
    with open(out + "/dcc.txt", "w") as f:
        f.write("HC1:" + base45(zlib.compress(cose, 9)))


main()
