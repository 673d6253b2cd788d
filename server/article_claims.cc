#include "server/article_claims.h"

namespace citeqa::server {

ArticleClaims::Claim::~Claim() {
  if (owner_ == nullptr) return;
  std::lock_guard<std::mutex> lock(owner_->mutex_);
  owner_->claimed_.erase(name_);
}

std::optional<ArticleClaims::Claim> ArticleClaims::TryClaim(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!claimed_.insert(name).second) return std::nullopt;
  return Claim(this, name);
}

}  // namespace citeqa::server
