#!/usr/bin/env bash
# Installs the build and test dependencies from Debian 12's packages (nothing else is fetched).
set -euo pipefail

packages=(
  cmake ninja-build g++ clang pkg-config python3
  libmd4c-dev libmd4c-html0-dev   # CommonMark + GFM parser and HTML renderer
  nlohmann-json3-dev              # JSON output
  libcli11-dev                    # command line
  libfmt-dev                      # message formatting
  libutf8proc-dev                 # Unicode categories and case for GitHub slugs
  libicu-dev                      # word boundaries of Chinese, Japanese, Thai (keywords)
  libyaml-dev                     # frontmatter
  libtomlplusplus-dev             # TOML frontmatter (Hugo's `+++`)
  libxapian-dev                   # search index (BM25, Snowball stemmers)
  xapian-tools                    # og index: replication (xapian-replicate, -replicate-server)
  libre2-dev                      # linear-time regular expressions in :check
  libxxhash-dev                   # node content hashes (changelog, stale summaries)
  libcpp-httplib-dev libssl-dev   # og serve: Streamable HTTP, sha256 of bearer tokens
  libmimalloc-dev                 # og binary: a faster malloc (og serve under load)
  libgtest-dev                    # tests
  wrk                             # bench/serve_load.py: HTTP load generator
)

# node + npm fetch the tokenizer vocabulary (npm `tiktoken`) at set-up and run the reference
# tokenizer in tests; a machine that already has them keeps its own.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 2; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
