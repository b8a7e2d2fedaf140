#!/usr/bin/env bash
# Assembles the corpus of test/engine/corpus.test.ts from clones of the repositories listed in SOURCES.md:
#   assemble.sh CLONES OUT
# CLONES holds one git clone (bare or not) per repository, as CLONES/<owner>/<repo> or CLONES/<owner>+<repo>[/repo].
# Each listed file is copied at its listed commit to OUT/<corpus file>; then run the test with BPMN_CORPUS_DIR=OUT.
# The files stay out of this repository: most are not ours to redistribute (SOURCES.md gives each licence).
set -euo pipefail
clones=${1:?usage: assemble.sh CLONES OUT}
out=${2:?usage: assemble.sh CLONES OUT}
sources="$(dirname "$0")/SOURCES.md"
missing=0
trim() { sed 's/^ *//; s/ *$//' <<<"$1"; }
while IFS='|' read -r _ file repo path commit _; do
  file=$(trim "$file"); repo=$(trim "$repo"); path=$(trim "$path"); commit=$(trim "$commit")
  gitdir=""
  for candidate in "$clones/$repo" "$clones/${repo/\//+}/repo" "$clones/${repo/\//+}"; do
    if [ -d "$candidate" ]; then gitdir=$candidate; break; fi
  done
  if [ -z "$gitdir" ]; then missing=$((missing + 1)); continue; fi
  mkdir -p "$out/$(dirname "$file")"
  git -C "$gitdir" show "$commit:$path" > "$out/$file"
done < <(grep -E '^\| [^|]*__[^|]*/[^|]* \|' "$sources")
echo "assembled $(find "$out" -type f | wc -l) files in $out; $missing listed files had no clone"
