// The plain-text form of an answer for `citeqa ask`: the answer, a blank line, then one
// numbered citation a line with the article's title, file and a short excerpt.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "retriever/engine.h"

namespace citeqa::server {

// At most `max_bytes` of `passage` (plus "..." marks where text was cut), with white space
// collapsed, starting shortly before the first highlight when there is one. Never splits a
// UTF-8 character; prefers to cut at a space.
std::string Excerpt(std::string_view passage, const std::vector<std::pair<int, int>>& highlights,
                    size_t max_bytes);

// "ANSWER\n\n[1] Title (file)\n    excerpt\n..." ; just the answer when there are no
// citations.
std::string FormatAnswerText(const retriever::AskResponse& response);

}  // namespace citeqa::server
