#include "server/slack/task_queue.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <utility>

namespace citeqa::server::slack {

TaskQueue::TaskQueue(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)), worker_([this] { Run(); }) {}

TaskQueue::~TaskQueue() { Shutdown(); }

bool TaskQueue::TryPush(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || tasks_.size() >= capacity_) {
      ++refused_;
      return false;
    }
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void TaskQueue::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return tasks_.empty() && !running_task_; });
}

size_t TaskQueue::Shutdown() {
  std::deque<std::function<void()>> discarded;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    discarded.swap(tasks_);
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  idle_.notify_all();
  return discarded.size();
}

size_t TaskQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tasks_.size();
}

size_t TaskQueue::refused() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused_;
}

void TaskQueue::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (stopping_) break;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    running_task_ = true;
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {
      std::cerr << "slack: background task failed: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "slack: background task failed\n";
    }
    task = nullptr;  // release captures outside the lock's critical section
    lock.lock();
    running_task_ = false;
    if (tasks_.empty()) idle_.notify_all();
  }
  running_task_ = false;
  idle_.notify_all();
}

}  // namespace citeqa::server::slack
