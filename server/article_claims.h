// Which article files an admin request is changing right now. An upload and a delete of
// the same file at once would otherwise interleave their write, re-index and check (the
// upload could find its article gone and take the delete for a refusal by the indexer):
// the first to claim the name goes on, the other gets 409 at once and can try again.
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace citeqa::server {

class ArticleClaims {
 public:
  // Held while a request changes one file; releases the name when it goes out of scope.
  class Claim {
   public:
    Claim(ArticleClaims* owner, std::string name) : owner_(owner), name_(std::move(name)) {}
    Claim(Claim&& other) noexcept : owner_(other.owner_), name_(std::move(other.name_)) {
      other.owner_ = nullptr;
    }
    Claim(const Claim&) = delete;
    Claim& operator=(const Claim&) = delete;
    Claim& operator=(Claim&&) = delete;
    ~Claim();

   private:
    ArticleClaims* owner_;
    std::string name_;
  };

  // A claim on `name`, or nullopt while another request holds one. Thread-safe.
  std::optional<Claim> TryClaim(const std::string& name);

 private:
  std::mutex mutex_;
  std::set<std::string> claimed_;
};

}  // namespace citeqa::server
