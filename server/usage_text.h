// What `citeqa --help` and `citeqa SUBCOMMAND --help` print: one section per subcommand,
// its options and what it does. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace citeqa::server {

// Every subcommand's section, after a "usage:" line.
std::string UsageText();

// "usage:" and the section of subcommand `name` ("index", "ask", ...); nullopt for a name
// that is not a subcommand.
std::optional<std::string> SubcommandUsage(std::string_view name);

}  // namespace citeqa::server
