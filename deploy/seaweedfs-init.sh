#!/bin/sh
# Once per `docker compose up` (and by scripts/cluster.sh): the S3 identity the servers sign with,
# and the bucket. Safe to run again: the identity is replaced, an existing bucket is kept.
#   MASTER=host:port[.grpcport] S3_ACCESS_KEY=... S3_SECRET_KEY=... [BUCKET=vault] sh seaweedfs-init.sh
set -eu
: "${MASTER:?}" "${S3_ACCESS_KEY:?}" "${S3_SECRET_KEY:?}"
BUCKET="${BUCKET:-vault}"
ask() { printf '%s\n' "$1" | weed shell -master="$MASTER"; }
ask "s3.configure -user vault -access_key $S3_ACCESS_KEY -secret_key $S3_SECRET_KEY -actions Admin -apply" >/dev/null
ask "s3.bucket.list" | grep -q "^ *$BUCKET\b" || ask "s3.bucket.create -name $BUCKET"
