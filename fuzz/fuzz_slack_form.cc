// Fuzz target: the Slack / Mattermost form decoder (server/slack/form_decoding.h). Whatever
// the body, decoding either fails with a Status or yields valid UTF-8 keys and values, and
// SingleValue agrees with how often a key was sent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "indexer/text.h"
#include "server/slack/form_decoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace slack = citeqa::server::slack;
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  auto decoded = slack::PercentDecode(body);
  if (decoded.ok()) FUZZ_CHECK(citeqa::indexer::IsValidUtf8(*decoded), "decoded text is not UTF-8");

  auto fields = slack::DecodeForm(body);
  if (!fields.ok()) return 0;
  for (const auto& [key, values] : *fields) {
    FUZZ_CHECK(citeqa::indexer::IsValidUtf8(key), "key is not UTF-8");
    FUZZ_CHECK(!values.empty(), "key without values");
    for (const std::string& v : values) {
      FUZZ_CHECK(citeqa::indexer::IsValidUtf8(v), "value is not UTF-8");
    }
    auto single = slack::SingleValue(*fields, key);
    if (values.size() == 1) {
      FUZZ_CHECK(single.ok() && *single == values[0], "SingleValue disagrees with the one value");
    } else {
      FUZZ_CHECK(!single.ok() && single.status().code() == citeqa::StatusCode::kInvalidArgument,
                 "SingleValue accepted a key sent %zu times", values.size());
    }
  }
  return 0;
}
