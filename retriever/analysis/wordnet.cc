#include "retriever/analysis/wordnet.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace citeqa::retriever {
namespace {

constexpr const char* kClassNames[3] = {"noun", "verb", "adj"};

// WordNet's detachment rules ("morphy"): suffix to strip, ending to put back.
struct Detachment {
  std::string_view suffix;
  std::string_view ending;
};
constexpr Detachment kNounRules[] = {{"s", ""},      {"ses", "s"},   {"xes", "x"},   {"zes", "z"},
                                     {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
constexpr Detachment kVerbRules[] = {{"s", ""},   {"ies", "y"}, {"es", "e"},  {"es", ""},
                                     {"ed", "e"}, {"ed", ""},   {"ing", "e"}, {"ing", ""}};
constexpr Detachment kAdjectiveRules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};

// The fields of an index or data line, up to a data line's gloss (" | ..."): nothing reads
// the gloss, and it is most of the line (splitting it was half of what looking a word up for
// the first time cost).
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  fields.reserve(32);
  size_t pos = 0;
  while (pos < line.size()) {
    const size_t start = line.find_first_not_of(' ', pos);
    if (start == std::string_view::npos || line[start] == '|') break;
    size_t end = line.find(' ', start);
    if (end == std::string_view::npos) end = line.size();
    fields.push_back(line.substr(start, end - start));
    pos = end;
  }
  return fields;
}

size_t ToNumber(std::string_view s, int base = 10) {
  size_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value, base);
  return value;
}

// "figure_out" -> "figure out"; drops an adjective's position marker ("last(a)").
std::string Readable(std::string_view lemma) {
  if (const size_t paren = lemma.find('('); paren != std::string_view::npos) {
    lemma = lemma.substr(0, paren);
  }
  std::string out(lemma);
  std::replace(out.begin(), out.end(), '_', ' ');
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Hypernyms with more direct hyponyms than this are not offered as broader wordings.
constexpr size_t kMaxKindsOfBroader = 30;
// Senses with more direct hyponyms than this offer none as narrower wordings.
constexpr size_t kMaxKindsOfNarrower = 12;

// One pointer of a synset's data line: symbol ("@" hypernym, "~" hyponym, "+" derived
// form, ...), target synset offset and class letter, and source/target word numbers.
struct Pointer {
  std::string_view symbol;
  size_t offset = 0;
  std::string_view pos;
  std::string_view source_target;
};

// The pointers of a data line (split into fields):
// offset lex_filenum ss_type w_cnt (word lex_id)... p_cnt (symbol offset pos st)...
std::vector<Pointer> PointersOf(const std::vector<std::string_view>& data) {
  std::vector<Pointer> out;
  if (data.size() < 4) return out;
  const size_t pointers_at = 4 + 2 * ToNumber(data[3], 16);
  if (pointers_at >= data.size()) return out;
  const size_t pointers = ToNumber(data[pointers_at]);
  for (size_t p = 0; p < pointers && pointers_at + 4 + 4 * p < data.size(); ++p) {
    const size_t at = pointers_at + 1 + 4 * p;
    out.push_back({data[at], ToNumber(data[at + 1]), data[at + 2], data[at + 3]});
  }
  return out;
}

// Number of direct hyponyms of a synset's data line (split into fields).
size_t KindsOf(const std::vector<std::string_view>& data) {
  const auto pointers = PointersOf(data);
  return static_cast<size_t>(std::count_if(pointers.begin(), pointers.end(), [](const Pointer& p) {
    return p.symbol == "~" || p.symbol == "~i";
  }));
}

}  // namespace

std::unique_ptr<WordNet> WordNet::Open(const std::string& dir) {
  std::unique_ptr<WordNet> wn(new WordNet());
  auto map_file = [](const std::string& path, Mapped* out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0 && st.st_size > 0;
    if (ok) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      ok = p != MAP_FAILED;
      if (ok) {
        out->data = static_cast<const char*>(p);
        out->size = static_cast<size_t>(st.st_size);
      }
    }
    ::close(fd);
    return ok;
  };
  bool ok = true;
  for (int c = 0; c < 3; ++c) {
    ok = ok && map_file(dir + "/index." + kClassNames[c], &wn->index_[c]);
    ok = ok && map_file(dir + "/data." + kClassNames[c], &wn->data_[c]);
    std::ifstream exc(dir + "/" + kClassNames[c] + ".exc");
    std::string line;
    while (std::getline(exc, line)) {
      std::istringstream fields(line);
      std::string inflected;
      std::string base;
      fields >> inflected;
      while (fields >> base) {
        wn->exceptions_[c].emplace(inflected, base);
        wn->inflections_[c].emplace(base, inflected);
      }
    }
  }
  wn->loaded_ = ok;
  return wn;
}

WordNet::~WordNet() {
  for (int c = 0; c < 3; ++c) {
    for (Mapped* m : {&index_[c], &data_[c]}) {
      if (m->data != nullptr) ::munmap(const_cast<char*>(m->data), m->size);
    }
  }
}

std::string_view WordNet::IndexLine(std::string_view lemma, WordClass cls) const {
  const Mapped& m = index_[static_cast<int>(cls)];
  if (!loaded_ || lemma.empty()) return {};
  const std::string_view file(m.data, m.size);
  auto line_at = [&](size_t pos) {
    const size_t start = pos == 0 ? 0 : file.rfind('\n', pos - 1) + 1;
    size_t end = file.find('\n', start);
    if (end == std::string_view::npos) end = file.size();
    return std::pair{start, file.substr(start, end - start)};
  };
  // Lines are sorted by lemma (licence lines, which start with spaces, sort first).
  size_t lo = 0;
  size_t hi = file.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const auto [start, line] = line_at(mid);
    const std::string_view key = line.substr(0, line.find(' '));
    if (!line.empty() && line.front() != ' ' && key == lemma) return line;
    if (line.empty() || line.front() == ' ' || key < lemma) {
      lo = start + line.size() + 1;
    } else {
      hi = start;
    }
  }
  return {};
}

std::string_view WordNet::DataLine(WordClass cls, size_t offset) const {
  const Mapped& m = data_[static_cast<int>(cls)];
  if (offset >= m.size) return {};
  const std::string_view file(m.data, m.size);
  size_t end = file.find('\n', offset);
  if (end == std::string_view::npos) end = file.size();
  return file.substr(offset, end - offset);
}

std::string WordNet::Key(std::string_view what, std::string_view word, WordClass cls, size_t a,
                         size_t b) {
  std::string key(what);
  key += static_cast<char>('0' + static_cast<int>(cls));
  key += std::to_string(a) + ":" + std::to_string(b) + ":";
  key += word;
  return key;
}

WordNet::SharedAnswer WordNet::Remembered(std::string key,
                                          const std::function<LookupAnswer()>& look_up) const {
  {
    std::lock_guard<std::mutex> lock(memo_mutex_);
    if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
  }
  auto found = std::make_shared<const LookupAnswer>(look_up());
  std::lock_guard<std::mutex> lock(memo_mutex_);
  if (memo_.size() >= kMaxRemembered) memo_.clear();
  memo_.emplace(std::move(key), found);
  return found;
}

WordNet::SharedAnswer WordNet::RememberedWords(
    std::string key, const std::function<std::vector<std::string>()>& look_up) const {
  return Remembered(std::move(key), [&] { return LookupAnswer{look_up(), 0}; });
}

WordNet::SharedAnswer WordNet::RememberedCount(std::string key,
                                               const std::function<size_t()>& look_up) const {
  return Remembered(std::move(key), [&] { return LookupAnswer{{}, look_up()}; });
}

std::vector<std::string> WordNet::BaseForms(std::string_view word, WordClass cls) const {
  return SharedBaseForms(word, cls)->words;
}

bool WordNet::Knows(std::string_view word, WordClass cls) const {
  return !SharedBaseForms(word, cls)->words.empty();
}

WordNet::SharedAnswer WordNet::SharedBaseForms(std::string_view word, WordClass cls) const {
  return RememberedWords(Key("b", word, cls, 0, 0), [&] {
    std::vector<std::string> forms;
    if (!loaded_) return forms;
    const int c = static_cast<int>(cls);
    auto add = [&](std::string form) {
      if (std::find(forms.begin(), forms.end(), form) == forms.end() &&
          !IndexLine(form, cls).empty()) {
        forms.push_back(std::move(form));
      }
    };
    std::string lemma(word);
    std::replace(lemma.begin(), lemma.end(), ' ', '_');
    add(lemma);
    const auto [first, last] = exceptions_[c].equal_range(lemma);
    for (auto it = first; it != last; ++it) add(it->second);
    const auto rules = cls == WordClass::kNoun   ? std::begin(kNounRules)
                       : cls == WordClass::kVerb ? std::begin(kVerbRules)
                                                 : std::begin(kAdjectiveRules);
    const auto rules_end = cls == WordClass::kNoun   ? std::end(kNounRules)
                           : cls == WordClass::kVerb ? std::end(kVerbRules)
                                                     : std::end(kAdjectiveRules);
    for (auto r = rules; r != rules_end; ++r) {
      if (lemma.size() > r->suffix.size() && lemma.ends_with(r->suffix)) {
        add(lemma.substr(0, lemma.size() - r->suffix.size()) + std::string(r->ending));
      }
    }
    return forms;
  });
}

size_t WordNet::TaggedSenses(std::string_view word, WordClass cls) const {
  return RememberedCount(Key("t", word, cls, 0, 0), [&] { return CountTaggedSenses(word, cls); })
      ->count;
}

size_t WordNet::CountTaggedSenses(std::string_view word, WordClass cls) const {
  size_t tagged = 0;
  for (const std::string& base : SharedBaseForms(word, cls)->words) {
    const auto index = Fields(IndexLine(base, cls));
    // ... sense_cnt tagsense_cnt offsets...: the count sits just before the offsets.
    if (index.size() < 4) continue;
    const size_t synsets = ToNumber(index[2]);
    if (index.size() < synsets + 2) continue;
    tagged = std::max(tagged, ToNumber(index[index.size() - synsets - 1]));
  }
  return tagged;
}

bool WordNet::NamesPerson(std::string_view noun) const {
  const auto named = RememberedCount(Key("p", noun, WordClass::kNoun, 0, 0), [&] {
    return FirstSenseNamesPerson(noun) ? size_t{1} : size_t{0};
  });
  return named->count > 0;
}

bool WordNet::FirstSenseNamesPerson(std::string_view noun) const {
  constexpr size_t kNounPersonFile = 18;  // lexicographer file noun.person
  bool person = false;
  ForEachSense(SharedBaseForms(noun, WordClass::kNoun)->words, WordClass::kNoun, 1,
               [&](const std::string&, const DataFields& data, size_t) {
                 person = ToNumber(data[1]) == kNounPersonFile;
                 return false;  // the first base form's first sense decides
               });
  return person;
}

std::vector<std::string> WordNet::IrregularForms(std::string_view base, WordClass cls) const {
  std::vector<std::string> forms;
  const auto [first, last] = inflections_[static_cast<int>(cls)].equal_range(std::string(base));
  for (auto it = first; it != last; ++it) forms.push_back(Readable(it->second));
  return forms;
}

void WordNet::ForEachSense(const std::vector<std::string>& bases, WordClass cls, size_t max_senses,
                           const SenseVisitor& visit) const {
  for (const std::string& base : bases) {
    const auto index = Fields(IndexLine(base, cls));
    // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offsets...
    if (index.size() < 4) continue;
    const size_t synsets = ToNumber(index[2]);
    if (index.size() < synsets + 2) continue;
    const size_t first_offset = index.size() - synsets;
    const size_t tagged = std::max<size_t>(1, ToNumber(index[first_offset - 1]));
    for (size_t s = 0; s < synsets && s < max_senses && s < tagged; ++s) {
      const auto data = Fields(DataLine(cls, ToNumber(index[first_offset + s])));
      if (data.size() < 4) continue;
      if (!visit(base, data, ToNumber(data[3], 16))) return;
    }
  }
}

std::vector<std::string> WordNet::Related(std::string_view word, WordClass cls,
                                          size_t max_senses) const {
  return RememberedWords(
             Key("r", word, cls, max_senses, 0),
             [&] {
               std::vector<std::string> related;
               const std::vector<std::string> bases = BaseForms(word, cls);
               auto add = [&](std::string w) {
                 if (w == word || std::find(bases.begin(), bases.end(), w) != bases.end()) return;
                 if (std::find(related.begin(), related.end(), w) == related.end())
                   related.push_back(std::move(w));
               };
               ForEachSense(bases, cls, max_senses,
                            [&](const std::string&, const DataFields& data, size_t words) {
                              for (size_t w = 0; w < words && 4 + 2 * w < data.size(); ++w)
                                add(Readable(data[4 + 2 * w]));
                              if (cls != WordClass::kAdjective) return true;
                              for (const Pointer& p : PointersOf(data)) {
                                if (p.symbol != "=" || p.pos != "n") continue;
                                const auto noun = Fields(DataLine(WordClass::kNoun, p.offset));
                                if (noun.size() > 4) add(Readable(noun[4]));
                              }
                              return true;
                            });
               return related;
             })
      ->words;
}

std::vector<std::string> WordNet::Linked(std::string_view word, WordClass cls, size_t max_senses,
                                         bool narrower, size_t max_words) const {
  return RememberedWords(
             Key(narrower ? "n" : "l", word, cls, max_senses, max_words),
             [&] {
               std::vector<std::string> linked;
               if (cls == WordClass::kAdjective) return linked;  // adjectives have no hypernyms
               const std::string_view wanted = narrower ? "~" : "@";
               const std::string_view wanted_instance = narrower ? "~i" : "@i";
               ForEachSense(
                   SharedBaseForms(word, cls)->words, cls, max_senses,
                   [&](const std::string& base, const DataFields& data, size_t) {
                     // A sense with very many kinds ("company") has no few that stand for it.
                     if (narrower && KindsOf(data) > kMaxKindsOfNarrower) return true;
                     for (const Pointer& p : PointersOf(data)) {
                       if (p.symbol != wanted && p.symbol != wanted_instance) continue;
                       const auto target = Fields(DataLine(cls, p.offset));
                       if (target.size() < 4) continue;
                       const size_t target_words = ToNumber(target[3], 16);
                       // A class with very many kinds ("change", "person") is too general to stand
                       // for any one of them.
                       if (!narrower && KindsOf(target) > kMaxKindsOfBroader) continue;
                       for (size_t w = 0; w < target_words && 4 + 2 * w < target.size(); ++w) {
                         if (linked.size() >= max_words) return false;
                         std::string form = Readable(target[4 + 2 * w]);
                         if (form != base &&
                             std::find(linked.begin(), linked.end(), form) == linked.end()) {
                           linked.push_back(std::move(form));
                         }
                       }
                     }
                     return true;
                   });
               return linked;
             })
      ->words;
}

void WordNet::ForEachLexicalTarget(
    std::string_view word, WordClass cls, size_t max_senses, std::string_view symbol,
    const std::function<void(const std::string& base, WordClass target_cls,
                             const DataFields& target, std::string form)>& visit) const {
  ForEachSense(SharedBaseForms(word, cls)->words, cls, max_senses,
               [&](const std::string& base, const DataFields& data, size_t words) {
                 // Lexical pointers name their source word by its number in the synset (1-based).
                 size_t own = 0;
                 for (size_t w = 0; w < words && 4 + 2 * w < data.size(); ++w) {
                   if (Readable(data[4 + 2 * w]) == Readable(base)) own = w + 1;
                 }
                 if (own == 0) return true;
                 for (const Pointer& p : PointersOf(data)) {
                   if (p.symbol != symbol || p.source_target.size() != 4) continue;
                   if (ToNumber(p.source_target.substr(0, 2), 16) != own || p.pos == "r") continue;
                   const WordClass target_cls = p.pos == "n"   ? WordClass::kNoun
                                                : p.pos == "v" ? WordClass::kVerb
                                                               : WordClass::kAdjective;
                   const auto target = Fields(DataLine(target_cls, p.offset));
                   const size_t number = ToNumber(p.source_target.substr(2, 2), 16);
                   if (target.size() < 4 || number == 0 || 4 + 2 * (number - 1) >= target.size())
                     continue;
                   visit(base, target_cls, target, Readable(target[4 + 2 * (number - 1)]));
                 }
                 return true;
               });
}

std::vector<std::string> WordNet::Derived(std::string_view word, WordClass cls,
                                          size_t max_senses) const {
  return RememberedWords(Key("d", word, cls, max_senses, 0),
                         [&] {
                           std::vector<std::string> derived;
                           ForEachLexicalTarget(
                               word, cls, max_senses, "+",
                               [&](const std::string& base, WordClass target_cls,
                                   const DataFields& target, std::string form) {
                                 if (target_cls == cls) return;
                                 // noun.person (lexicographer file 18): "negotiator", "leader".
                                 if (target_cls == WordClass::kNoun && ToNumber(target[1]) == 18)
                                   return;
                                 if (form != base && std::find(derived.begin(), derived.end(),
                                                               form) == derived.end()) {
                                   derived.push_back(std::move(form));
                                 }
                               });
                           return derived;
                         })
      ->words;
}

std::vector<std::string> WordNet::Antonyms(std::string_view word, WordClass cls,
                                           size_t max_senses) const {
  return RememberedWords(
             Key("a", word, cls, max_senses, 0),
             [&] {
               std::vector<std::string> antonyms;
               ForEachLexicalTarget(
                   word, cls, max_senses, "!",
                   [&](const std::string&, WordClass, const DataFields&, std::string form) {
                     if (std::find(antonyms.begin(), antonyms.end(), form) == antonyms.end()) {
                       antonyms.push_back(std::move(form));
                     }
                   });
               return antonyms;
             })
      ->words;
}

const WordNet& SharedWordNet() {
  static const std::unique_ptr<WordNet> wordnet = WordNet::Open("/usr/share/wordnet");
  return *wordnet;
}

}  // namespace citeqa::retriever
