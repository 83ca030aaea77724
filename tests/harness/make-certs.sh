#!/usr/bin/env bash
# Makes a test CA, a server certificate for 127.0.0.1/localhost and a client
# certificate in $1 (ca.pem, server.pem/.key, client.pem/.key, other-ca.pem),
# with the openssl command line (Debian's openssl, pulled in by
# ca-certificates). EC P-256 keys: fast to make.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key
openssl req -x509 -new -key ca.key -days 2 -subj "/CN=nats-wasm test CA" -out ca.pem
key other-ca.key
openssl req -x509 -new -key other-ca.key -days 2 -subj "/CN=someone else" -out other-ca.pem
for who in server client; do
  key "$who.key"
  openssl req -new -key "$who.key" -subj "/CN=nats-wasm test $who" -out "$who.csr"
done
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
printf 'extendedKeyUsage=clientAuth\n' > client.ext
for who in server client; do
  openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile "$who.ext" -out "$who.pem" 2>/dev/null
done
