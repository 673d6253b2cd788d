// A fake Slack Web API on 127.0.0.1 (an httplib::Server on a free port) that records every
// chat.postMessage call, conversations.replies call and POST to a response_url under
// /actions/, and answers each with a configurable reply.
#pragma once

#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace citeqa::server::slack::testing {

struct RecordedCall {
  std::string path;
  std::string authorization;
  std::string content_type;
  std::string body;
};

class FakeSlackApi {
 public:
  // Starts serving at once; `reply_status` / `reply_body` are what every call gets.
  explicit FakeSlackApi(int reply_status = 200, std::string reply_body = R"({"ok":true})")
      : reply_status_(reply_status), reply_body_(std::move(reply_body)) {
    const auto record = [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        calls_.push_back({req.path, req.get_header_value("Authorization"),
                          req.get_header_value("Content-Type"), req.body});
      }
      res.status = reply_status_;
      res.set_content(reply_body_, "application/json");
    };
    server_.Post("/api/chat.postMessage", record);
    // A GET's query parameters are recorded as its body, "name=value&..." in sorted order.
    server_.Get("/api/conversations.replies", [this](const httplib::Request& req,
                                                     httplib::Response& res) {
      std::string query;
      for (const auto& [name, value] : req.params) {
        query += (query.empty() ? "" : "&") + name + "=" + value;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        calls_.push_back({req.path, req.get_header_value("Authorization"), "", query});
      }
      res.status = reply_status_;
      res.set_content(reply_body_, "application/json");
    });
    server_.Post("/actions/.*", record);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  ~FakeSlackApi() {
    // stop() is a no-op until the accept loop runs, so wait for it first.
    while (!server_.is_running()) std::this_thread::yield();
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string ApiBase() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }
  // A response_url the poster accepts for this fake (same host and port as ApiBase()).
  std::string ResponseUrl(const std::string& id = "T1/1/abc") const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/actions/" + id;
  }

  std::vector<RecordedCall> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  const int reply_status_;
  const std::string reply_body_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<RecordedCall> calls_;
};

}  // namespace citeqa::server::slack::testing
