#include "server/answer_text.h"

#include <algorithm>

namespace citeqa::server {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Moves `pos` back to the start of the UTF-8 character it is in.
size_t CharStart(std::string_view text, size_t pos) {
  while (pos > 0 && pos < text.size() && IsContinuationByte(text[pos])) --pos;
  return pos;
}

std::string CollapseSpace(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string Excerpt(std::string_view passage, const std::vector<std::pair<int, int>>& highlights,
                    size_t max_bytes) {
  // Context shown before the first highlighted word, small enough to leave room for it.
  const size_t lead_in = std::min<size_t>(40, max_bytes / 3);
  size_t begin = 0;
  if (!highlights.empty() && highlights.front().first > 0 &&
      static_cast<size_t>(highlights.front().first) < passage.size()) {
    const auto first = static_cast<size_t>(highlights.front().first);
    if (first > lead_in) {
      begin = CharStart(passage, first - lead_in);
      const size_t space = passage.find(' ', begin);
      if (space != std::string_view::npos && space < first) begin = space + 1;
    }
  }
  // Short enough text from `begin` on is shown whole.
  if (passage.size() - begin <= max_bytes) {
    return (begin > 0 ? "..." : "") + CollapseSpace(passage.substr(begin));
  }
  size_t end = CharStart(passage, begin + max_bytes);
  const size_t space = passage.rfind(' ', end);
  if (space != std::string_view::npos && space > begin + max_bytes / 2) end = space;
  return (begin > 0 ? "..." : "") + CollapseSpace(passage.substr(begin, end - begin)) + "...";
}

std::string FormatAnswerText(const retriever::AskResponse& response) {
  constexpr size_t kExcerptBytes = 160;
  std::string out = response.answer + "\n";
  if (!response.citations.empty()) out += "\n";
  for (const retriever::Citation& c : response.citations) {
    out += '[';
    out += std::to_string(c.n);
    out += "] " + c.title + " (" + c.doc + ")\n    ";
    out += Excerpt(c.passage, c.highlights, kExcerptBytes);
    out += '\n';
  }
  return out;
}

}  // namespace citeqa::server
