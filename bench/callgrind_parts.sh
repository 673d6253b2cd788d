# shellcheck shell=bash
# Sourced by bench/profile_ask.sh and bench/profile_serve.sh: what they read out of a
# callgrind profile, so that a renamed pipeline stage is renamed in one place.

# The answering pipeline's five stages (retriever/pipeline.h): label and the function whose
# inclusive cost is the stage's (demangled name prefix).
# shellcheck disable=SC2034  # used by the scripts that source this file
pipeline_stages=(
  "analysis|citeqa::retriever::AnalyzeInConversation("
  "retrieval|citeqa::retriever::RetrieveCandidates("
  "scoring|citeqa::retriever::ScoreCandidates("
  "decision|citeqa::retriever::Decide("
  "composition|citeqa::retriever::ComposeAnswer("
)

# The instructions of the whole profile, from `callgrind_annotate --inclusive=yes` output.
total_instructions() {  # ANNOTATED
  awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' <<<"$1"
}

# The inclusive instructions of the first function whose name holds PREFIX, from the same
# output; empty when none does.
inclusive_instructions() {  # ANNOTATED PREFIX
  grep -F -- "$2" <<<"$1" | awk '{ gsub(",", "", $1); print $1; exit }' || true
}
