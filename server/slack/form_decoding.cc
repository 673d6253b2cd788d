#include "server/slack/form_decoding.h"

#include "indexer/text.h"

namespace citeqa::server::slack {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      const int hi = i + 1 < component.size() ? HexValue(component[i + 1]) : -1;
      const int lo = i + 2 < component.size() ? HexValue(component[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("malformed %-escape at byte " + std::to_string(i));
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  if (!indexer::IsValidUtf8(out)) return Status::InvalidArgument("form value is not UTF-8");
  return out;
}

Result<FormFields> DecodeForm(std::string_view body) {
  FormFields fields;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view piece = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    Result<std::string> key = PercentDecode(piece.substr(0, eq));
    if (!key.ok()) return key.status();
    Result<std::string> value =
        PercentDecode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1));
    if (!value.ok()) return value.status();
    fields[std::move(key).value()].push_back(std::move(value).value());
  }
  return fields;
}

Result<std::string> SingleValue(const FormFields& fields, std::string_view key) {
  const auto it = fields.find(std::string(key));
  if (it == fields.end()) return Status::NotFound("no field '" + std::string(key) + "'");
  if (it->second.size() != 1) {
    return Status::InvalidArgument("field '" + std::string(key) + "' sent more than once");
  }
  return it->second.front();
}

Result<std::string> OptionalValue(const FormFields& fields, std::string_view key) {
  Result<std::string> value = SingleValue(fields, key);
  if (!value.ok() && value.status().code() == StatusCode::kNotFound) return std::string();
  return value;
}

}  // namespace citeqa::server::slack
