#include "server/slack/task_queue.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace citeqa::server::slack {
namespace {

// Occupies the worker until released, so that the test controls what is waiting.
struct Blocker {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  std::function<void()> Task() {
    return [this] {
      started.set_value();
      released.wait();
    };
  }
};

TEST(TaskQueueTest, RunsTasksInOrder) {
  TaskQueue queue(8);
  std::mutex mu;
  std::vector<int> ran;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(queue.TryPush([&, i] {
      std::lock_guard<std::mutex> lock(mu);
      ran.push_back(i);
    }));
  }
  queue.WaitIdle();
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(queue.refused(), 0u);
}

TEST(TaskQueueTest, RefusesTasksBeyondItsCapacity) {
  TaskQueue queue(3);
  Blocker blocker;
  std::future<void> started = blocker.started.get_future();
  ASSERT_TRUE(queue.TryPush(blocker.Task()));
  started.wait();  // the worker holds the blocker; the queue itself is empty
  int ran = 0;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(queue.TryPush([&ran] { ++ran; })) << i;
  EXPECT_FALSE(queue.TryPush([&ran] { ran += 100; }));
  EXPECT_FALSE(queue.TryPush([&ran] { ran += 100; }));
  EXPECT_EQ(queue.refused(), 2u);
  blocker.release.set_value();
  queue.WaitIdle();
  EXPECT_EQ(ran, 3) << "the queued tasks ran, the refused ones never did";
  EXPECT_TRUE(queue.TryPush([&ran] { ++ran; })) << "room again once drained";
  queue.WaitIdle();
  EXPECT_EQ(ran, 4);
}

TEST(TaskQueueTest, ShutdownFinishesTheRunningTaskAndDropsTheRest) {
  TaskQueue queue(4);
  Blocker blocker;
  std::future<void> started = blocker.started.get_future();
  bool finished = false;
  ASSERT_TRUE(queue.TryPush([&] {
    blocker.Task()();
    finished = true;
  }));
  started.wait();
  int ran = 0;
  ASSERT_TRUE(queue.TryPush([&ran] { ++ran; }));
  ASSERT_TRUE(queue.TryPush([&ran] { ++ran; }));
  EXPECT_EQ(queue.waiting(), 2u);
  std::future<size_t> dropped =
      std::async(std::launch::async, [&queue] { return queue.Shutdown(); });
  // The worker is blocked, so only Shutdown can empty the queue; release it after that.
  while (queue.waiting() != 0) std::this_thread::yield();
  blocker.release.set_value();
  EXPECT_EQ(dropped.get(), 2u);
  EXPECT_TRUE(finished);
  EXPECT_EQ(ran, 0);
  EXPECT_FALSE(queue.TryPush([&ran] { ++ran; })) << "closed after shutdown";
  EXPECT_EQ(queue.Shutdown(), 0u) << "idempotent";
}

TEST(TaskQueueTest, SurvivesATaskThatThrows) {
  TaskQueue queue(4);
  int ran = 0;
  ASSERT_TRUE(queue.TryPush([] { throw std::runtime_error("boom"); }));
  ASSERT_TRUE(queue.TryPush([&ran] { ++ran; }));
  queue.WaitIdle();
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace citeqa::server::slack
