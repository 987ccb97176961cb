#!/usr/bin/env python3
# tests/integration/shcgen.py: SMART Health Cards for the tests, made now by a test issuer:
# DIR/jwks.json (the issuer's key, kid its RFC 7638 thumbprint), DIR/kid, and for each RID
# given DIR/card-RID.txt: the shc:/ numeric QR text of a card with that revocation id ("vc.rid"),
# a vaccination of 2021-05-29, nbf now - 60 s. Usage: shcgen.py DIR ISSUER RID...
import base64
import hashlib
import json
import sys
import time
import zlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def main():
    out, issuer, rids = sys.argv[1], sys.argv[2], sys.argv[3:]
    key = ec.generate_private_key(ec.SECP256R1())
    pub = key.public_key().public_numbers()
    x, y = b64u(pub.x.to_bytes(32, "big")), b64u(pub.y.to_bytes(32, "big"))
    thumb = json.dumps({"crv": "P-256", "kty": "EC", "x": x, "y": y}, separators=(",", ":"))
    kid = b64u(hashlib.sha256(thumb.encode()).digest())
    jwk = {"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256", "x": x, "y": y}
    with open(out + "/jwks.json", "w") as f:
        json.dump({"keys": [jwk]}, f)
    with open(out + "/kid", "w") as f:
        f.write(kid)
    header = b64u(json.dumps({"zip": "DEF", "alg": "ES256", "kid": kid},
                             separators=(",", ":")).encode())
    for rid in rids:
        bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "resource:0", "resource": {"resourceType": "Patient",
             "name": [{"family": "Anyperson", "given": ["John"]}], "birthDate": "1951-01-20"}},
            {"fullUrl": "resource:1", "resource": {"resourceType": "Immunization",
             "status": "completed", "vaccineCode": {"coding": [
                 {"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]},
             "patient": {"reference": "resource:0"}, "occurrenceDateTime": "2021-05-29"}}]}
        payload = {"iss": issuer, "nbf": int(time.time()) - 60,
                   "vc": {"type": ["https://smarthealth.cards#health-card"], "rid": rid,
                          "credentialSubject": {"fhirVersion": "4.0.1",
                                                "fhirBundle": bundle}}}
        raw = json.dumps(payload, separators=(",", ":")).encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = b64u(comp.compress(raw) + comp.flush())
        r, s = decode_dss_signature(key.sign((header + "." + body).encode(),
                                             ec.ECDSA(hashes.SHA256())))
        jws = header + "." + body + "." + b64u(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
        with open("%s/card-%s.txt" % (out, rid), "w") as f:
            f.write("shc:/" + "".join("%02d" % (ord(c) - 45) for c in jws))


main()
