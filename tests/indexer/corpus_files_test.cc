// CorpusFolder over real files in a temporary folder: what is listed, what is skipped and
// why (links out of the folder, loops, dangling links, FIFOs, sockets, links to folders and
// to files listed under another name), and reads that never leave the folder or block.
#include "indexer/corpus_files.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/indexer/unprivileged_child.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

class CorpusFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_corpus_files_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    corpus_ = root_ / "corpus";
  }
  void TearDown() override {
    if (socket_fd_ >= 0) ::close(socket_fd_);
    // A folder a test made unreadable must be removable again.
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(root_, ec)) {
      if (entry.is_directory(ec) && !entry.is_symlink(ec)) {
        fs::permissions(entry.path(), fs::perms::owner_all, fs::perm_options::add, ec);
      }
    }
    fs::remove_all(root_);
  }

  void Write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  void MakeSocket(const fs::path& path) {
    socket_fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(socket_fd_, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = path.string();
    ASSERT_LT(text.size(), sizeof address.sun_path) << "temporary path too long for a socket";
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    ASSERT_EQ(::bind(socket_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0)
        << std::strerror(errno);
  }

  // Every kind of entry the listing has to judge.
  void MakeHostileCorpus() {
    Write(root_ / "outside_secret.txt", "the secret outside the corpus\n");
    Write(corpus_ / "a.txt", "article a\n");
    Write(corpus_ / "notes.pdf", "%PDF-1.4");
    Write(corpus_ / "sub" / "b.md", "# article b\n");
    Write(corpus_ / ".drafts" / "draft.txt", "a draft\n");
    Write(corpus_ / ".hidden.txt", "hidden\n");
    fs::create_symlink("../outside_secret.txt", corpus_ / "out.txt");
    fs::create_symlink(root_ / "outside_secret.txt", corpus_ / "out_absolute.txt");
    fs::create_symlink("../../outside_secret.txt", corpus_ / "sub" / "out_deep.txt");
    fs::create_symlink("..", corpus_ / "parent");
    fs::create_symlink("loop_b.txt", corpus_ / "loop_a.txt");
    fs::create_symlink("loop_a.txt", corpus_ / "loop_b.txt");
    fs::create_symlink("self_loop.txt", corpus_ / "self_loop.txt");
    fs::create_symlink("missing.txt", corpus_ / "dangling.txt");
    fs::create_symlink("a.txt", corpus_ / "alias.txt");
    fs::create_symlink("alias.txt", corpus_ / "chain.txt");
    fs::create_symlink("../a.txt", corpus_ / "sub" / "up.txt");
    fs::create_symlink(".drafts/draft.txt", corpus_ / "draft_link.txt");
    fs::create_symlink(".drafts/draft.txt", corpus_ / "draft_link2.txt");
    fs::create_symlink("sub", corpus_ / "sublink");
    fs::create_symlink(".", corpus_ / "itself.txt");
    fs::create_symlink("fifo.txt", corpus_ / "fifo_link.txt");
    ASSERT_EQ(::mkfifo((corpus_ / "fifo.txt").c_str(), 0644), 0);
    MakeSocket(corpus_ / "socket.md");
  }

  fs::path root_;
  fs::path corpus_;
  int socket_fd_ = -1;
};

TEST_F(CorpusFilesTest, ListsOnlyFilesThatStayInsideAndNamesEverySkip) {
  MakeHostileCorpus();
  auto folder = CorpusFolder::Open(corpus_.string());
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  auto listing = folder->List();
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();

  std::map<std::string, std::string> read;  // name -> read_path
  for (const CorpusEntry& entry : listing->files) read[entry.name] = entry.read_path;
  EXPECT_EQ(read, (std::map<std::string, std::string>{{"a.txt", "a.txt"},
                                                      {"draft_link.txt", ".drafts/draft.txt"},
                                                      {"sub/b.md", "sub/b.md"}}));

  std::map<std::string, CorpusSkip> skipped;
  for (const CorpusSkip& skip : listing->skipped) skipped[skip.name] = skip;
  const struct {
    std::string name;
    std::string reason;  // a part of it
  } cases[] = {
      {"notes.pdf", "unsupported file type"},
      {"out.txt", "a symbolic link out of the corpus folder"},
      {"out_absolute.txt", "a symbolic link out of the corpus folder"},
      {"sub/out_deep.txt", "a symbolic link out of the corpus folder"},
      {"parent", "a symbolic link out of the corpus folder"},
      {"loop_a.txt", "a symbolic link that loops"},
      {"loop_b.txt", "a symbolic link that loops"},
      {"self_loop.txt", "a symbolic link that loops"},
      {"dangling.txt", "a symbolic link to nothing (dangling)"},
      {"alias.txt", "a symbolic link to a.txt, which is read under its own name"},
      {"chain.txt", "a symbolic link to a.txt, which is read under its own name"},
      {"sub/up.txt", "a symbolic link to a.txt, which is read under its own name"},
      {"draft_link2.txt", "a symbolic link to the same file as draft_link.txt"},
      {"sublink", "a symbolic link to a folder"},
      {"itself.txt", "a symbolic link to a folder"},
      {"fifo.txt", "not a regular file (a FIFO)"},
      {"fifo_link.txt", "a symbolic link to something that is not a regular file (a FIFO)"},
      {"socket.md", "not a regular file (a socket)"},
  };
  for (const auto& c : cases) {
    const auto it = skipped.find(c.name);
    ASSERT_NE(it, skipped.end()) << c.name;
    EXPECT_NE(it->second.reason.find(c.reason), std::string::npos)
        << c.name << ": " << it->second.reason;
    EXPECT_FALSE(it->second.exists_unread) << c.name;
    EXPECT_EQ(it->second.reason.find("outside_secret"), std::string::npos)
        << "a link's target outside the folder is never named: " << it->second.reason;
  }
  EXPECT_EQ(skipped.size(), std::size(cases)) << "hidden names are neither listed nor reported";
  EXPECT_EQ(folder->ListFolders().value(), (std::vector<std::string>{"", "sub"}));
}

TEST_F(CorpusFilesTest, ReadsStayInsideAndNeverBlock) {
  MakeHostileCorpus();
  auto folder = CorpusFolder::Open(corpus_.string());
  ASSERT_TRUE(folder.ok());
  const struct {
    std::string path;
    StatusCode code;
    std::string bytes;  // when ok
  } cases[] = {
      {"a.txt", StatusCode::kOk, "article a\n"},
      {"sub/b.md", StatusCode::kOk, "# article b\n"},
      {".drafts/draft.txt", StatusCode::kOk, "a draft\n"},
      {"missing.txt", StatusCode::kNotFound, ""},
      {"nothere/a.txt", StatusCode::kNotFound, ""},
      {"fifo.txt", StatusCode::kInvalidArgument, ""},  // would block without O_NONBLOCK
      {"socket.md", StatusCode::kInvalidArgument, ""},
      {"out.txt", StatusCode::kInvalidArgument, ""},
      {"alias.txt", StatusCode::kInvalidArgument, ""},
      {"loop_a.txt", StatusCode::kInvalidArgument, ""},
      {"sublink/b.md", StatusCode::kInvalidArgument, ""},
      {"parent/outside_secret.txt", StatusCode::kInvalidArgument, ""},
      {"a.txt/x", StatusCode::kInvalidArgument, ""},
      {"sub", StatusCode::kInvalidArgument, ""},
      {"../outside_secret.txt", StatusCode::kInvalidArgument, ""},
      {"sub/../a.txt", StatusCode::kInvalidArgument, ""},
      {"./a.txt", StatusCode::kInvalidArgument, ""},
      {(root_ / "outside_secret.txt").string(), StatusCode::kInvalidArgument, ""},
      {"sub//b.md", StatusCode::kInvalidArgument, ""},
      {"", StatusCode::kInvalidArgument, ""},
  };
  for (const auto& c : cases) {
    auto bytes = folder->Read(c.path, 1024);
    EXPECT_EQ(bytes.status().code(), c.code) << c.path << ": " << bytes.status().ToString();
    if (bytes.ok()) EXPECT_EQ(*bytes, c.bytes) << c.path;
    if (!bytes.ok()) {
      EXPECT_EQ(bytes.status().message().find("outside_secret"), std::string::npos);
    }
  }
  EXPECT_EQ(folder->Read("a.txt", 5).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(folder->Read("a.txt", 10).value(), "article a\n") << "exactly at the limit";
}

TEST_F(CorpusFilesTest, TheFolderItselfMayBeALink) {
  Write(corpus_ / "a.txt", "article a\n");
  fs::create_symlink(corpus_, root_ / "current");
  auto folder = CorpusFolder::Open((root_ / "current").string());
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_EQ(folder->path(), fs::canonical(corpus_).string());
  auto listing = folder->List();
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->files.size(), 1u);
  EXPECT_EQ(listing->files[0].name, "a.txt");
  EXPECT_TRUE(listing->skipped.empty());
  EXPECT_EQ(folder->Read("a.txt", 100).value(), "article a\n");
}

TEST_F(CorpusFilesTest, OpenRefusesWhatIsNotAFolder) {
  Write(root_ / "file.txt", "x");
  const struct {
    std::string dir;
    StatusCode code;
  } cases[] = {
      {(root_ / "nope").string(), StatusCode::kNotFound},
      {(root_ / "file.txt").string(), StatusCode::kNotFound},
      {"", StatusCode::kNotFound},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CorpusFolder::Open(c.dir).status().code(), c.code) << c.dir;
  }
}

// As "nobody" when root: root reads any file whatever its permissions.
TEST_F(CorpusFilesTest, UnreadableFilesAndFoldersExistButAreNotRead) {
  testing::LetAnyoneWriteIn(root_);
  const int code = testing::RunAsUnprivilegedChild([&] {
    Write(corpus_ / "locked.txt", "locked\n");
    Write(corpus_ / "closed" / "c.txt", "closed\n");
    fs::permissions(corpus_ / "locked.txt", fs::perms::none);
    fs::permissions(corpus_ / "closed", fs::perms::none);
    auto folder = CorpusFolder::Open(corpus_.string());
    ASSERT_TRUE(folder.ok());
    auto listing = folder->List();
    ASSERT_TRUE(listing.ok()) << listing.status().ToString();
    ASSERT_EQ(listing->files.size(), 1u) << "a file is listed by its folder, whatever its mode";
    EXPECT_EQ(listing->files[0].name, "locked.txt");
    ASSERT_EQ(listing->skipped.size(), 1u);
    EXPECT_EQ(listing->skipped[0].name, "closed/");
    EXPECT_TRUE(listing->skipped[0].exists_unread);
    const auto read = folder->Read("locked.txt", 100);
    EXPECT_EQ(read.status().code(), StatusCode::kIoError);
    EXPECT_EQ(read.status().message(), "cannot open: Permission denied");
  });
  EXPECT_EQ(code, 0) << "see the child's failures above";
}

}  // namespace
}  // namespace citeqa::indexer
