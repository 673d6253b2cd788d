// How much of the question's own wording a passage repeats: pairs of adjacent question words
// that are content words or prepositions ("product strategy", "strategy into", "take on"),
// matched by Porter stem. Prepositions carry the relation ("turn X into", "take on"), which
// the concepts alone (content words) lose; articles and question frames carry nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/question.h"

namespace citeqa::retriever {

using StemPair = std::pair<std::string, std::string>;

// The question's word pairs worth finding, as stems, each once. Pairs touching the words of
// a comparison's frame ("difference between") are left out: a comparison is answered by
// contrast, not by repeating its frame. Pure; thread-safe.
std::vector<StemPair> WordingPairs(const AnalyzedQuestion& question);

// Share (0..1) of `pairs` that occur, adjacent and in order, in the tokens of a text; 0 for
// no pairs. Pure; thread-safe.
double WordingOverlap(const std::vector<StemPair>& pairs, std::span<const indexer::Token> tokens);

// The same over the stems of a text's tokens, in order, with each stem's StemHash (as many
// as stems; a passage layout's: each text a question reads is stemmed and hashed once per
// index version, not once per question). Hashes are compared before stems: most positions
// differ in both.
double WordingOverlap(const std::vector<StemPair>& pairs, std::span<const std::string> stems,
                      std::span<const uint64_t> stem_hashes);

}  // namespace citeqa::retriever
