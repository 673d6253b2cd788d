// Turns an engine answer into what chat tools display: Slack messages (mrkdwn text in Block
// Kit sections) and plain Markdown for Slack-compatible webhooks. All article text is
// escaped, so an article can neither ping a channel (<!channel>) nor forge a link. Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "retriever/engine.h"

namespace citeqa::server::slack {

// Slack limits a section's text to 3000 characters.
inline constexpr size_t kMaxSectionChars = 3000;
inline constexpr size_t kQuoteChars = 150;
// A source's quoted sentences get more room than an excerpt: they are the answer's evidence.
inline constexpr size_t kQuotedSentenceChars = 320;

// Replaces &, < and > with &amp; &lt; &gt; (Slack's mrkdwn escaping; nothing else is needed).
std::string EscapeMrkdwn(std::string_view text);

// About `max_chars` code points of the citation's passage on one line, cut at a word with
// "…" where text was left out. Starts at the beginning unless the first highlighted word
// would not fit, then a little before it.
std::string ShortQuote(const retriever::Citation& citation, size_t max_chars = kQuoteChars);

// The sentences the answer took from the citation (its `quotes`, in passage order) on one
// line, about `max_chars` code points at most, cut at a word with "…". Parts the passage
// holds apart are joined with " … ", the items of a list with "; " (after a lead-in ending
// in ':' with a space). Ranges outside the passage or not on character boundaries are
// skipped; with no usable quote it is ShortQuote(citation).
std::string QuotedText(const retriever::Citation& citation,
                       size_t max_chars = kQuotedSentenceChars);

// base + "/#passage-" + id: the passage in the chat page's source viewer. `base` has no
// trailing '/'.
std::string PassageUrl(std::string_view public_base_url, int64_t passage_id);

// Block Kit blocks: a section with the answer (each "- " line of a list in it a "• " line),
// then (when found) the answer's sources (the
// citations marked `cited`; related passages are left out) as a numbered list
// `*[n]* <url|title>` + `>` QuotedText, split over sections of at most kMaxSectionChars.
// Without a base URL the title is bold instead of linked.
nlohmann::json AnswerBlocks(const retriever::AskResponse& response,
                            std::string_view public_base_url);

// The notification / fallback text of an answer message: the escaped answer.
std::string AnswerFallbackText(const retriever::AskResponse& response);

// The reply to a slash command: {"response_type", "text", "blocks"}; `response_type` for
// an answer, always "ephemeral" (only the asker sees it) when the articles do not answer.
nlohmann::json SlashCommandMessage(const retriever::AskResponse& response,
                                   std::string_view public_base_url,
                                   std::string_view response_type);

// {"response_type": "ephemeral", "text": mrkdwn}: help and errors, seen only by the asker.
// `mrkdwn` must already be escaped.
nlohmann::json EphemeralMessage(std::string_view mrkdwn);

// How to ask, in mrkdwn. `invocation` is how the user calls us ("/ask" or "<@U123>") and is
// inserted as is: the caller escapes it if it is not trusted. `examples` (questions drawn
// from the articles, GET /api/suggestions) are shown as ready-made invocations, at most
// kMaxUsageExamples of them, escaped here; without them the text stays general.
inline constexpr size_t kMaxUsageExamples = 3;
std::string UsageText(std::string_view invocation, const std::vector<std::string>& examples = {});

// The answer in plain Markdown for webhook tools: the answer (its list lines kept as "- "
// lines), a blank line, "Sources:" and
// a numbered list of the cited sources "n. [title](url) — “QuotedText”" (title alone
// without a base URL). @channel,
// @here and @all are defused with a zero-width space after the '@'.
std::string PlainMarkdownAnswer(const retriever::AskResponse& response,
                                std::string_view public_base_url);

// Serialises for an HTTP body; invalid UTF-8 is replaced rather than thrown on.
std::string DumpJson(const nlohmann::json& value);

}  // namespace citeqa::server::slack
