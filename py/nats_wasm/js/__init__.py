"""JetStream for nats_wasm, named as nats.py's ``nats.js``."""
