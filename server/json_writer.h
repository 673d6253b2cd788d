// Appends JSON values to a string without building a document first, byte for byte as
// nlohmann::json's dump(-1, ' ', false, error_handler_t::replace) writes them: for the
// responses sent on every request (/api/ask), where building an nlohmann tree and dumping
// it cost more than the rest of the HTTP layer together.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace citeqa::server {

// A JSON string: quotes, escapes for '"', '\\' and C0 controls (\b \f \n \r \t, else
// \u00xx), other bytes as they are. Text that is not valid UTF-8 is written as nlohmann
// writes it with error_handler_t::replace (U+FFFD for each invalid sequence).
void AppendJsonString(std::string* out, std::string_view text);

// A number as nlohmann writes a double: the shortest round-trip form of its Grisu2
// conversion ("5.0", "0.4", "1e-05"); NaN and infinities as null.
void AppendJsonNumber(std::string* out, double value);

void AppendJsonInteger(std::string* out, int64_t value);

inline void AppendJsonBool(std::string* out, bool value) { *out += value ? "true" : "false"; }

}  // namespace citeqa::server
