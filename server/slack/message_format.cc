#include "server/slack/message_format.h"

#include <algorithm>
#include <vector>

#include "indexer/text.h"

namespace citeqa::server::slack {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
constexpr std::string_view kNotFoundText = "I could not find an answer to that in the articles.";
constexpr std::string_view kSlackBullet = "\xE2\x80\xA2 ";  // "• ": mrkdwn has no list syntax
constexpr size_t kLeadInChars = 40;  // context kept before a highlight that starts the quote

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Byte offset `chars` code points after `from` (or the end).
size_t AdvanceChars(std::string_view s, size_t from, size_t chars) {
  size_t i = from;
  while (i < s.size() && chars > 0) {
    ++i;
    while (i < s.size() && IsContinuationByte(s[i])) ++i;
    --chars;
  }
  return i;
}

// Code points in s[begin, end).
size_t CountChars(std::string_view s, size_t begin, size_t end) {
  size_t n = 0;
  for (size_t i = begin; i < end; ++i) n += IsContinuationByte(s[i]) ? 0 : 1;
  return n;
}

// The first `max_chars` code points of `s` (never splitting one).
std::string TruncateChars(std::string_view s, size_t max_chars) {
  return std::string(s.substr(0, AdvanceChars(s, 0, max_chars)));
}

// Cuts collapsed `text` to `max_chars` code points at the last space within them, adding
// "…"; a single word longer than that is cut inside.
std::string CutAtWord(std::string_view text, size_t max_chars) {
  const size_t end = AdvanceChars(text, 0, max_chars);
  if (end >= text.size()) return std::string(text);
  size_t cut = end;
  while (cut > 0 && text[cut] != ' ') --cut;
  if (cut == 0) cut = end;
  return std::string(text.substr(0, cut)) + std::string(kEllipsis);
}

// Length of a list marker ("- ", "* ", "• ", "1. ", "2) ") at the start of `line`, else 0.
size_t ListMarkerLength(std::string_view line) {
  size_t i = 0;
  if (line.starts_with("-") || line.starts_with("*")) {
    i = 1;
  } else if (line.starts_with("\xE2\x80\xA2")) {  // •
    i = 3;
  } else {
    while (i < line.size() && i < 3 && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == 0 || i >= line.size() || (line[i] != '.' && line[i] != ')')) return 0;
    ++i;
  }
  if (i >= line.size() || !IsSpace(line[i])) return 0;
  return i;
}

enum class Gap { kAdjacent, kNextListItem, kElided };

// How two quoted parts of a passage relate, from the text between them: only white space
// (and the first part's closing punctuation) between them, the next item of the same list
// (one line break, then a list marker), or text left out.
Gap ClassifyGap(std::string_view gap) {
  size_t i = 0;
  while (i < gap.size() && (gap[i] == '.' || gap[i] == ';' || gap[i] == ',')) ++i;
  const size_t first_non_space = gap.find_first_not_of(" \t\r\n", i);
  if (first_non_space == std::string_view::npos) return Gap::kAdjacent;
  const size_t newline = gap.rfind('\n');
  if (newline == std::string_view::npos || gap.find('\n') != newline) return Gap::kElided;
  const std::string_view line = gap.substr(newline + 1);
  const size_t marker = ListMarkerLength(line);
  if (marker == 0 || line.find_first_not_of(" \t", marker) != std::string_view::npos) {
    return Gap::kElided;
  }
  return Gap::kNextListItem;
}

bool OnCharBoundary(std::string_view s, int at) {
  return at >= 0 && static_cast<size_t>(at) <= s.size() &&
         (static_cast<size_t>(at) == s.size() || !IsContinuationByte(s[static_cast<size_t>(at)]));
}

std::string Title(const retriever::Citation& citation) {
  std::string title = indexer::CollapseWhitespace(citation.title);
  if (title.empty()) title = citation.doc;
  return TruncateChars(title, 200);
}

// The answer with its white space collapsed line by line; the lines of a list the answer
// gives ("\n- item") keep their own lines, marked with `bullet`.
std::string AnswerText(const retriever::AskResponse& response, std::string_view bullet) {
  std::string answer;
  size_t start = 0;
  while (start <= response.answer.size()) {
    size_t end = response.answer.find('\n', start);
    if (end == std::string::npos) end = response.answer.size();
    std::string line =
        indexer::CollapseWhitespace(std::string_view(response.answer).substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    if (line.starts_with("- ")) line = std::string(bullet) + line.substr(2);
    if (!answer.empty()) answer += '\n';
    answer += line;
  }
  if (answer.empty() && !response.found) answer = kNotFoundText;
  return answer;
}

nlohmann::json Section(std::string mrkdwn) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(mrkdwn)}}}};
}

std::string SourceLine(const retriever::Citation& citation, std::string_view base) {
  const std::string title = EscapeMrkdwn(Title(citation));
  std::string line = "*[" + std::to_string(citation.n) + "]* ";
  if (base.empty()) {
    line += "*" + title + "*";
  } else {
    line += "<" + EscapeMrkdwn(PassageUrl(base, citation.passage_id)) + "|" + title + ">";
  }
  const std::string quote = QuotedText(citation);
  if (!quote.empty()) line += "\n>" + EscapeMrkdwn(quote);
  return line;
}

// The answer's own sources: related passages (not cited) are left out of chat messages.
std::vector<const retriever::Citation*> CitedSources(const retriever::AskResponse& response) {
  std::vector<const retriever::Citation*> cited;
  for (const auto& citation : response.citations) {
    if (citation.cited) cited.push_back(&citation);
  }
  return cited;
}

std::string MarkdownLinkText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Plain-Markdown tools (Mattermost, Rocket.Chat) notify everyone on @channel, @here and
// @all; a zero-width space after the '@' keeps article text from doing that.
std::string NeutraliseMassMentions(std::string text) {
  for (std::string_view word : {"@channel", "@here", "@all"}) {
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
      text.insert(at + 1, "\xE2\x80\x8B");
    }
  }
  return text;
}

}  // namespace

std::string EscapeMrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ShortQuote(const retriever::Citation& citation, size_t max_chars) {
  const std::string_view p = citation.passage;
  size_t start = 0;
  if (!citation.highlights.empty()) {
    const auto [hl_begin, hl_end] = citation.highlights.front();
    if (hl_begin >= 0 && static_cast<size_t>(hl_end) <= p.size() && hl_begin < hl_end &&
        CountChars(p, 0, static_cast<size_t>(hl_end)) > max_chars) {
      // Back up a few words before the highlight, then forward to the start of a word.
      auto back = static_cast<size_t>(hl_begin);
      for (size_t n = 0; back > 0 && n < kLeadInChars; ++n) {
        --back;
        while (back > 0 && IsContinuationByte(p[back])) --back;
      }
      while (back < static_cast<size_t>(hl_begin) && back > 0 && !IsSpace(p[back - 1])) ++back;
      while (back < static_cast<size_t>(hl_begin) && IsContinuationByte(p[back])) ++back;
      start = back;
    }
  }
  size_t end = AdvanceChars(p, start, max_chars);
  const bool cut_end = p.find_first_not_of(" \n\t\r", end) != std::string_view::npos;
  if (cut_end) {
    // Cut at the last white space within the limit; a single huge word is cut mid-word.
    size_t space = end;
    while (space > start && !IsSpace(p[space])) --space;
    if (space > start) end = space;
  }
  std::string quote = indexer::CollapseWhitespace(p.substr(start, end - start));
  if (quote.empty()) return quote;
  if (start > 0) quote = std::string(kEllipsis) + quote;
  if (cut_end) quote += kEllipsis;
  return quote;
}

std::string QuotedText(const retriever::Citation& citation, size_t max_chars) {
  const std::string_view p = citation.passage;
  std::vector<std::pair<int, int>> quotes;
  for (const auto& [begin, end] : citation.quotes) {
    if (begin < end && OnCharBoundary(p, begin) && OnCharBoundary(p, end)) {
      quotes.emplace_back(begin, end);
    }
  }
  std::sort(quotes.begin(), quotes.end());
  std::string text;
  int last_end = -1;
  for (const auto& [begin, end] : quotes) {
    if (begin < last_end) continue;  // overlaps the part before: already said
    const std::string part = indexer::CollapseWhitespace(
        p.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
    if (part.empty()) continue;
    if (!text.empty()) {
      const auto gap =
          p.substr(static_cast<size_t>(last_end), static_cast<size_t>(begin - last_end));
      switch (ClassifyGap(gap)) {
        case Gap::kAdjacent:
          text += ' ';
          break;
        case Gap::kNextListItem:
          text += text.back() == ':' ? " " : "; ";
          break;
        case Gap::kElided:
          text.append(" ").append(kEllipsis).append(" ");
          break;
      }
    }
    text += part;
    last_end = end;
  }
  if (text.empty()) return ShortQuote(citation, std::min(max_chars, kQuoteChars));
  return CutAtWord(text, max_chars);
}

std::string PassageUrl(std::string_view public_base_url, int64_t passage_id) {
  return std::string(public_base_url) + "/#passage-" + std::to_string(passage_id);
}

nlohmann::json AnswerBlocks(const retriever::AskResponse& response,
                            std::string_view public_base_url) {
  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back(
      Section(TruncateChars(EscapeMrkdwn(AnswerText(response, kSlackBullet)), kMaxSectionChars)));
  if (!response.found || response.citations.empty()) return blocks;
  const auto sources = CitedSources(response);
  if (sources.empty()) return blocks;
  std::string section = "*Sources*";
  for (const retriever::Citation* citation : sources) {
    const std::string line =
        TruncateChars(SourceLine(*citation, public_base_url), kMaxSectionChars);
    if (CountChars(section, 0, section.size()) + 1 + CountChars(line, 0, line.size()) >
        kMaxSectionChars) {
      blocks.push_back(Section(std::move(section)));
      section = line;
    } else {
      section += "\n" + line;
    }
  }
  blocks.push_back(Section(std::move(section)));
  return blocks;
}

std::string AnswerFallbackText(const retriever::AskResponse& response) {
  return EscapeMrkdwn(AnswerText(response, kSlackBullet));
}

nlohmann::json SlashCommandMessage(const retriever::AskResponse& response,
                                   std::string_view public_base_url,
                                   std::string_view response_type) {
  // "Not found" is news only to the asker: the channel is not told about every miss.
  return {{"response_type", response.found ? std::string(response_type) : "ephemeral"},
          {"text", AnswerFallbackText(response)},
          {"blocks", AnswerBlocks(response, public_base_url)}};
}

nlohmann::json EphemeralMessage(std::string_view mrkdwn) {
  return {{"response_type", "ephemeral"}, {"text", std::string(mrkdwn)}};
}

std::string UsageText(std::string_view invocation, const std::vector<std::string>& examples) {
  const std::string how(invocation);
  std::string out = "*Ask me about the articles.* ";
  if (examples.empty()) {
    out += "Type `" + how + "` followed by your question.\n";
  } else {
    out += "For example:\n";
    for (size_t i = 0; i < examples.size() && i < kMaxUsageExamples; ++i) {
      // A backquote would end the code span early.
      std::string example = EscapeMrkdwn(examples[i]);
      std::replace(example.begin(), example.end(), '`', '\'');
      out += "\xE2\x80\xA2 `" + how + " " + example + "`\n";
    }
  }
  out +=
      "I answer only from the articles and number my sources, so every sentence can be "
      "checked. `" +
      how + " help` shows this message.";
  return out;
}

std::string PlainMarkdownAnswer(const retriever::AskResponse& response,
                                std::string_view public_base_url) {
  std::string out = AnswerText(response, "- ");
  const auto sources = CitedSources(response);
  if (!response.found || sources.empty()) return NeutraliseMassMentions(out);
  out += "\n\nSources:";
  for (const retriever::Citation* citation : sources) {
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
    out.append("\n").append(std::to_string(citation->n)).append(". ");
    const std::string title = MarkdownLinkText(Title(*citation));
    if (public_base_url.empty()) {
      out += title;
    } else {
      out += "[" + title + "](" + PassageUrl(public_base_url, citation->passage_id) + ")";
    }
    const std::string quote = QuotedText(*citation);
    if (!quote.empty()) out += " \xE2\x80\x94 \xE2\x80\x9C" + quote + "\xE2\x80\x9D";
  }
  return NeutraliseMassMentions(out);
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace citeqa::server::slack
