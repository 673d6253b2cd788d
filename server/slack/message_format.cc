#include "server/slack/message_format.h"

#include <algorithm>
#include <vector>

#include "indexer/text.h"

namespace citeqa::server::slack {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
constexpr std::string_view kNotFoundText = "I could not find an answer to that in the articles.";
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

std::string Title(const retriever::Citation& citation) {
  std::string title = indexer::CollapseWhitespace(citation.title);
  if (title.empty()) title = citation.doc;
  return TruncateChars(title, 200);
}

std::string AnswerText(const retriever::AskResponse& response) {
  std::string answer = indexer::CollapseWhitespace(response.answer);
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
  const std::string quote = ShortQuote(citation);
  if (!quote.empty()) line += "\n>" + EscapeMrkdwn(quote);
  return line;
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

std::string PassageUrl(std::string_view public_base_url, int64_t passage_id) {
  return std::string(public_base_url) + "/#passage-" + std::to_string(passage_id);
}

nlohmann::json AnswerBlocks(const retriever::AskResponse& response,
                            std::string_view public_base_url) {
  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back(Section(TruncateChars(EscapeMrkdwn(AnswerText(response)), kMaxSectionChars)));
  if (!response.found || response.citations.empty()) return blocks;
  std::string section = "*Sources*";
  for (const auto& citation : response.citations) {
    const std::string line = TruncateChars(SourceLine(citation, public_base_url), kMaxSectionChars);
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
  return EscapeMrkdwn(AnswerText(response));
}

nlohmann::json SlashCommandMessage(const retriever::AskResponse& response,
                                   std::string_view public_base_url,
                                   std::string_view response_type) {
  return {{"response_type", std::string(response_type)},
          {"text", AnswerFallbackText(response)},
          {"blocks", AnswerBlocks(response, public_base_url)}};
}

nlohmann::json EphemeralMessage(std::string_view mrkdwn) {
  return {{"response_type", "ephemeral"}, {"text", std::string(mrkdwn)}};
}

std::string UsageText(std::string_view invocation) {
  const std::string how(invocation);
  return "*Ask me about the articles.* For example: `" + how +
         " how long is the notice period?`\n"
         "I answer only from the articles and number my sources, so every sentence can be "
         "checked. `" +
         how + " help` shows this message.";
}

std::string PlainMarkdownAnswer(const retriever::AskResponse& response,
                                std::string_view public_base_url) {
  std::string out = AnswerText(response);
  if (!response.found || response.citations.empty()) return NeutraliseMassMentions(out);
  out += "\n\nSources:";
  for (const auto& citation : response.citations) {
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
    out.append("\n").append(std::to_string(citation.n)).append(". ");
    const std::string title = MarkdownLinkText(Title(citation));
    if (public_base_url.empty()) {
      out += title;
    } else {
      out += "[" + title + "](" + PassageUrl(public_base_url, citation.passage_id) + ")";
    }
    const std::string quote = ShortQuote(citation);
    if (!quote.empty()) out += " \xE2\x80\x94 \xE2\x80\x9C" + quote + "\xE2\x80\x9D";
  }
  return NeutraliseMassMentions(out);
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace citeqa::server::slack
