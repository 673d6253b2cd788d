// A MessagePoster for the service tests: records posts and response_url replies; a post can
// be held until released.
#pragma once

#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "server/slack/message_poster.h"

namespace citeqa::server::slack::testing {

struct RecordedReply {
  std::string response_url;
  nlohmann::json message;
};

class RecordingPoster : public MessagePoster {
 public:
  Status Post(const SlackPost& post) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      posts_.push_back(post);
    }
    if (block_) {
      entered_.set_value();
      release_.get_future().wait();
      block_ = false;
    }
    return Status::Ok();
  }
  Status Respond(const std::string& response_url, const nlohmann::json& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    replies_.push_back({response_url, message});
    return respond_status_;
  }
  Result<std::vector<ThreadMessage>> ThreadMessages(const std::string& channel,
                                                    const std::string& thread_ts,
                                                    const std::string& before_ts) override {
    std::lock_guard<std::mutex> lock(mu_);
    thread_reads_.push_back({channel, thread_ts, before_ts});
    return thread_;
  }
  // What ThreadMessages returns from now on (an empty thread at first).
  void SetThread(Result<std::vector<ThreadMessage>> thread) {
    std::lock_guard<std::mutex> lock(mu_);
    thread_ = std::move(thread);
  }
  // (channel, thread_ts, before_ts) of each ThreadMessages call.
  std::vector<std::vector<std::string>> thread_reads() const {
    std::lock_guard<std::mutex> lock(mu_);
    return thread_reads_;
  }
  std::vector<SlackPost> posts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return posts_;
  }
  std::vector<RecordedReply> replies() const {
    std::lock_guard<std::mutex> lock(mu_);
    return replies_;
  }
  // What Respond returns from now on.
  void SetRespondStatus(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    respond_status_ = std::move(status);
  }
  // The next Post signals `entered` and waits for Release().
  std::future<void> BlockNext() {
    block_ = true;
    return entered_.get_future();
  }
  void Release() { release_.set_value(); }

 private:
  mutable std::mutex mu_;
  std::vector<SlackPost> posts_;
  std::vector<RecordedReply> replies_;
  Status respond_status_ = Status::Ok();
  Result<std::vector<ThreadMessage>> thread_ = std::vector<ThreadMessage>{};
  std::vector<std::vector<std::string>> thread_reads_;
  bool block_ = false;
  std::promise<void> entered_;
  std::promise<void> release_;
};

}  // namespace citeqa::server::slack::testing
