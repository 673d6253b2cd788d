// application/x-www-form-urlencoded decoding (the body of Slack slash commands and of
// Mattermost outgoing webhooks). Strict: a malformed %-escape or a value that is not UTF-8
// is an error rather than a guess. Pure and thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"

namespace citeqa::server::slack {

// Every value of every key, in the order sent. Keys are decoded like values.
using FormFields = std::map<std::string, std::vector<std::string>>;

// Decodes one component: '+' is a space, "%XX" (either case) is the byte 0xXX.
// kInvalidArgument for '%' not followed by two hex digits, or for a result that is not
// valid UTF-8.
Result<std::string> PercentDecode(std::string_view component);

// Splits on '&' (empty pieces are skipped), then on the first '='; a piece without '=' is a
// key with an empty value. Errors as PercentDecode.
Result<FormFields> DecodeForm(std::string_view body);

// The one value of `key`. kNotFound when absent; kInvalidArgument when sent more than once
// (an ambiguous request is refused rather than resolved by picking one).
Result<std::string> SingleValue(const FormFields& fields, std::string_view key);

// SingleValue, with an absent key read as "". Still kInvalidArgument when repeated.
Result<std::string> OptionalValue(const FormFields& fields, std::string_view key);

}  // namespace citeqa::server::slack
