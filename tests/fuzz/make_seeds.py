"""Writes the seed corpora of the fuzz targets: every protocol vector's input
(tests/vectors/*.json) for the parser and the engine, prefixed with the
target's own control bytes, and header blocks for the header decoder."""

import hashlib
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[2]
out = pathlib.Path(sys.argv[1])
headers = [b"NATS/1.0\r\n\r\n", b"NATS/1.0 503\r\n\r\n", b"NATS/1.0 404 No Messages\r\n\r\n",
           b"NATS/1.0\r\nA: 1\r\nA: 2\r\nB-Key: x y\r\n\r\n",
           b"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 3\r\n\r\n"]


def write(target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


for vector in sorted((root / "tests/vectors").glob("*.json")):
    raw = json.loads(vector.read_text())["input"].encode("latin-1")
    write("parser", bytes([7, 255]) + raw)
    # The engine script: step 0 = server bytes of the next byte's length.
    step = b"".join(bytes([0, min(len(raw[i:i + 200]), 255) - 1]) + raw[i:i + 200]
                    for i in range(0, len(raw), 200) if raw[i:i + 200])
    write("engine", step)
    if b"NATS/1.0" in raw:
        start = raw.index(b"NATS/1.0")
        end = raw.find(b"\r\n\r\n", start)
        if end > 0:
            headers.append(raw[start:end + 4])
for h in headers:
    write("headers", h)
