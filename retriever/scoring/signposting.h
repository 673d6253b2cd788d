// Whether a sentence talks about the text itself rather than its subject: an article's
// signposts ("In this blog, we'll delve into ...", "This article explores ...", "Read the
// rest of our blog"). They name the question's words without saying anything about them,
// so they make poor answer sentences.
#pragma once

#include <string_view>

namespace citeqa::retriever {

// True when a reference to the text or to its writers announcing it ("this article",
// "our blog", "we'll", "we will", "let's", "you'll") stands within a few words of a verb of
// presenting ("explore", "delve", "discuss", "learn", "summarize", "read"). Either alone
// is common in plain content ("This role explores markets", "we look for candidates who
// ..."). Pure; thread-safe.
bool IsSignpost(std::string_view sentence);

}  // namespace citeqa::retriever
