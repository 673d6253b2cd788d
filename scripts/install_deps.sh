#!/usr/bin/env bash
# Installs the Debian 12 packages citeqa needs, skipping what is already there.
#   scripts/install_deps.sh          build and run
#   scripts/install_deps.sh --test   also what the tests need (Chromium, Node.js, sample HTML,
#                                    clang and libFuzzer for the fuzz runs)
#   scripts/install_deps.sh --bench  also what bench/run.sh needs (Google Benchmark, Xapian, wrk,
#                                    gnuplot, clang, curl and time for the re-index step)
#   scripts/install_deps.sh --train  also what training needs (train.sh, seeds.sh: XGBoost, numpy)
#   scripts/install_deps.sh --package  also what scripts/package.sh needs (CPack's DEB
#                                    generator runs dpkg-shlibdeps, which needs `file`)
# Several may be given at once (`--test --bench --train`).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  libsqlite3-dev nlohmann-json3-dev libgumbo-dev libstemmer-dev
  libjemalloc-dev  # the allocator of the binary (CMakeLists.txt: CITEQA_JEMALLOC)
  wamerican        # /usr/share/dict/words: tells real-word typos from unknown words
  wordnet-base     # /usr/share/wordnet: verbs, base forms and paraphrases of question words
)
fuzzing=(clang libclang-rt-14-dev)  # libFuzzer is in the runtime package, only recommended
packaging=(file dpkg-dev)  # CPack finds the binary's library dependencies with dpkg-shlibdeps
for option in "$@"; do
  case "$option" in
    --test)
      packages+=(
        libgtest-dev libgmock-dev
        chromium          # the browser test drives Debian's Chromium
        python3.11-doc    # real-world HTML pages for the reader tests
        systemd curl      # the package test: systemd-analyze verify, and a question over HTTP
        "${packaging[@]}"
        python3-jsonschema  # tests/server/openapi_check.py: responses against server/openapi.json
        nginx             # tests/replicas: three replicas behind nginx, on loopback ports
        "${fuzzing[@]}"
      )
      # Debian 12's Node.js is 18, which the pinned playwright-core accepts; a newer one
      # already on the machine is used as it is.
      command -v node >/dev/null 2>&1 || packages+=(nodejs)
      command -v npm >/dev/null 2>&1 || packages+=(npm)
      ;;
    --package) packages+=("${packaging[@]}") ;;
    --train) packages+=(python3-xgboost python3-numpy) ;;  # training/train.sh
    --bench) packages+=(libbenchmark-dev libxapian-dev wrk gnuplot-nox python3 curl time
                        "${fuzzing[@]}") ;;
    *)
      echo "install_deps.sh: unknown option '$option' (known: --test --bench --train --package)" >&2
      exit 2
      ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  # Installing nginx would start it on port 80; the tests start their own on loopback
  # ports. While installing, a policy-rc.d (Debian's switch for package scripts) forbids
  # starting services, unless the machine already has one.
  guard=""
  if [[ " ${missing[*]} " == *" nginx "* && ! -e /usr/sbin/policy-rc.d ]]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# citeqa install_deps.sh: no service starts while it installs\nexit 101\n' |
      $SUDO tee "$guard" >/dev/null
    $SUDO chmod 755 "$guard"
    trap '$SUDO rm -f "$guard"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [[ -n $guard ]]; then
    $SUDO rm -f "$guard"
    trap - EXIT
  fi
fi
