#!/usr/bin/env bash
# Builds a real-text corpus folder from Debian's installed documentation: the Python 3.11
# HTML manual (/usr/share/doc/python3.11/html, package python3.11-doc) and, with --all,
# every other uncompressed .html/.md file under /usr/share/doc. Files are copied (not
# linked) so the corpus stays stable while packages change.
#   bench/docs_corpus.sh OUT_DIR [--all]
# Prints the number of files and bytes copied. Exit 1 if no documentation is installed.
set -euo pipefail

out=${1:?usage: bench/docs_corpus.sh OUT_DIR [--all]}
all=${2:-}
python_docs=/usr/share/doc/python3.11/html

if [[ ! -d $python_docs && $all != --all ]]; then
  echo "docs_corpus: $python_docs is not installed (apt-get install python3.11-doc)" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"

copy_tree() {  # SRC_DIR DEST_SUBDIR FIND_EXPRESSION (ending in -print0)...
  local src=$1 dest=$2
  shift 2
  (cd "$src" && find . "$@") | while IFS= read -r -d '' file; do
    mkdir -p "$out/$dest/$(dirname "$file")"
    cp "$src/$file" "$out/$dest/$file"
  done
}

if [[ -d $python_docs ]]; then
  # _sources holds the reST sources of the same pages; _static and _images are assets.
  copy_tree "$python_docs" python3.11 \( -path ./_sources -o -path ./_static -o -path ./_images \) -prune \
    -o -type f -name '*.html' -print0
fi
if [[ $all == --all ]]; then
  (cd /usr/share/doc && find . -mindepth 1 -maxdepth 1 -type d ! -name python3.11 -printf '%f\n') |
    sort | while read -r package; do
      copy_tree "/usr/share/doc/$package" "other/$package" -type f \( -name '*.html' -o -name '*.md' \) -print0
    done
fi
files=$(find "$out" -type f | wc -l)
bytes=$(du -sb "$out" | cut -f1)
if [[ $files -eq 0 ]]; then
  echo "docs_corpus: no documentation found" >&2
  exit 1
fi
echo "docs_corpus: $files files, $bytes bytes in $out"
