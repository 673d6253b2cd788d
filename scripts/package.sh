#!/usr/bin/env bash
# Builds the Debian package build/citeqa_<version>_amd64.deb: the citeqa binary (chat page
# and models compiled in), the systemd unit citeqa.service and /etc/default/citeqa.
# Install it with `apt install ./build/citeqa_*.deb`, then `systemctl start citeqa`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh --package
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"${JOBS:-2}" --target citeqa
(cd build && cpack -G DEB >/dev/null)
deb=$(ls -t build/citeqa_*_*.deb | head -1)
echo "built $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
