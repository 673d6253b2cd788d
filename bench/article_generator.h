// Writes one synthetic Markdown article from a TextModel: a title, sections with headings,
// paragraphs and bulleted lists. Each article has a few topic words it repeats (words in
// real articles are bursty), numbers, and the model's domain phrases.
#pragma once

#include <cstdint>
#include <string>

#include "bench/text_model.h"

namespace citeqa::bench {

// A pure function of (model, article_seed); thread-safe.
std::string GenerateArticle(const TextModel& model, uint64_t article_seed);

}  // namespace citeqa::bench
