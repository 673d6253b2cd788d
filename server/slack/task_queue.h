// A bounded queue of background tasks run one at a time by a single worker thread: the
// Slack adapter acknowledges an event at once and answers it from here. When the queue is
// full, new tasks are refused (the caller logs and counts them) rather than piling up.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace citeqa::server::slack {

class TaskQueue {
 public:
  // Starts the worker. At most `capacity` (>= 1) tasks wait; the running one is not counted.
  explicit TaskQueue(size_t capacity);
  // Shutdown().
  ~TaskQueue();
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Queues `task`. False (and the task is destroyed unrun) when the queue is full or shut
  // down. A task that throws is reported on stderr; the worker carries on.
  bool TryPush(std::function<void()> task);

  // Blocks until no task is waiting or running. Must not be called from a task.
  void WaitIdle();

  // Lets the running task finish, discards waiting ones and joins the worker. Idempotent.
  // Returns the number discarded.
  size_t Shutdown();

  size_t capacity() const { return capacity_; }
  size_t waiting() const;  // tasks queued and not yet started
  size_t refused() const;  // TryPush calls that returned false

 private:
  void Run();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable wake_;  // a task arrived or shutdown began
  std::condition_variable idle_;  // the queue drained
  std::deque<std::function<void()>> tasks_;
  bool running_task_ = false;
  bool stopping_ = false;
  size_t refused_ = 0;
  std::thread worker_;  // last: starts after the members above exist
};

}  // namespace citeqa::server::slack
