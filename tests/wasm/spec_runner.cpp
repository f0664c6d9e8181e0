// spec_runner - runs the official WebAssembly test suite, as converted by
// wabt's wast2json, against vitte::wasm.
//
//   spec_runner --counts assertion-counts.tsv --set core DIR/*.json
//   spec_runner --list converted.stamp --part core --counts ... --set core
//   spec_runner ... --scalar-simd     SIMD through the portable lanes
//   spec_runner ... --checked-memory  every load and store checked (no guard pages)
//
// Every command runs: modules, register, actions and all assertion kinds,
// with the `spectest` host module. Text-format modules (module quote) are
// skipped and counted as such: vitte reads the binary format only. Prints
// per-file and total counts by kind, then the plain line
// "N passed, N failed, N skipped"; exits 1 when an assertion fails or when
// the number of assertions seen differs from the suite's table.
#include <vitte/base/detail/bytes.hpp>  // bytes_of: a file's text as bytes
#include <vitte/wasm.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wasm = vitte::wasm;

namespace {

// ---- a small JSON reader, enough for wast2json's output ----------------------
struct json {
  enum kind_t { null, boolean, number, string, array, object } kind = null;
  std::string s;
  double n = 0;
  std::vector<json> items;
  std::vector<std::string> keys;  // an object's keys, in order
  std::vector<json> values;       // and their values
  const json* get(const char* key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return &values[i];
    return nullptr;
  }
  std::string str(const char* key) const {
    const json* j = get(key);
    return j && j->kind == string ? j->s : std::string();
  }
};

class json_parser {
 public:
  explicit json_parser(const std::string& t) : t_(t) {}
  bool parse(json& out) {
    ws();
    return value(out);
  }

 private:
  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\r' || t_[p_] == '\t')) ++p_;
  }
  bool value(json& out) {
    ws();
    if (p_ >= t_.size()) return false;
    char c = t_[p_];
    if (c == '{') {
      out.kind = json::object;
      ++p_;
      ws();
      if (t_[p_] == '}') return ++p_, true;
      for (;;) {
        ws();
        json key;
        if (!str(key.s)) return false;
        ws();
        if (t_[p_++] != ':') return false;
        json v;
        if (!value(v)) return false;
        out.keys.push_back(key.s);
        out.values.push_back(std::move(v));
        ws();
        if (t_[p_] == ',') {
          ++p_;
          continue;
        }
        if (t_[p_] == '}') return ++p_, true;
        return false;
      }
    }
    if (c == '[') {
      out.kind = json::array;
      ++p_;
      ws();
      if (t_[p_] == ']') return ++p_, true;
      for (;;) {
        json v;
        if (!value(v)) return false;
        out.items.push_back(std::move(v));
        ws();
        if (t_[p_] == ',') {
          ++p_;
          continue;
        }
        if (t_[p_] == ']') return ++p_, true;
        return false;
      }
    }
    if (c == '"') {
      out.kind = json::string;
      return str(out.s);
    }
    if (t_.compare(p_, 4, "true") == 0) return out.kind = json::boolean, out.n = 1, p_ += 4, true;
    if (t_.compare(p_, 5, "false") == 0) return out.kind = json::boolean, p_ += 5, true;
    if (t_.compare(p_, 4, "null") == 0) return p_ += 4, true;
    char* end = nullptr;
    out.kind = json::number;
    out.n = std::strtod(t_.c_str() + p_, &end);
    if (end == t_.c_str() + p_) return false;
    p_ = static_cast<std::size_t>(end - t_.c_str());
    return true;
  }
  bool str(std::string& out) {
    if (t_[p_] != '"') return false;
    ++p_;
    while (p_ < t_.size() && t_[p_] != '"') {
      char c = t_[p_++];
      if (c == '\\') {
        char e = t_[p_++];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u': {
            unsigned cp = static_cast<unsigned>(std::strtoul(t_.substr(p_, 4).c_str(), nullptr, 16));
            p_ += 4;
            if (cp < 0x80)
              out += static_cast<char>(cp);
            else if (cp < 0x800)
              out += static_cast<char>(0xc0 | cp >> 6), out += static_cast<char>(0x80 | (cp & 0x3f));
            else
              out += static_cast<char>(0xe0 | cp >> 12), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)),
                  out += static_cast<char>(0x80 | (cp & 0x3f));
            break;
          }
          default:
            out += e;
        }
      } else {
        out += c;
      }
    }
    ++p_;
    return true;
  }
  const std::string& t_;
  std::size_t p_ = 0;
};

bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), {});
  return true;
}

// ---- the spectest host module ------------------------------------------------
vitte::error print_any(void*, vitte::span<const wasm::value>, vitte::span<wasm::value>) { return {}; }

struct counts {
  std::map<std::string, int> passed, failed, skipped;
  int total_passed() const { return sum(passed); }
  int total_failed() const { return sum(failed); }
  int total_skipped() const { return sum(skipped); }
  static int sum(const std::map<std::string, int>& m) {
    int n = 0;
    for (const auto& [k, v] : m) n += v;
    return n;
  }
  int seen(const std::string& kind) const {
    auto get = [&](const std::map<std::string, int>& m) {
      auto it = m.find(kind);
      return it == m.end() ? 0 : it->second;
    };
    return get(passed) + get(failed) + get(skipped);
  }
};

class runner {
 public:
  runner(std::string dir, bool verbose, bool scalar_simd, bool checked_memory)
      : dir_(std::move(dir)), verbose_(verbose), scalar_simd_(scalar_simd), checked_memory_(checked_memory) {
    reset();
  }

  void reset() {
    wasm::store_limits limits;
    limits.scalar_simd = scalar_simd_;
    limits.guard_pages = !checked_memory_;
    store_ = std::make_unique<wasm::store>(limits);
    env_ = wasm::imports();
    named_.clear();
    current_ = wasm::instance();
    wasm::store& s = *store_;
    using vt = wasm::value_type;
    env_.add("spectest", "print", s.host_function({{}, {}}, print_any, nullptr));
    env_.add("spectest", "print_i32", s.host_function({{vt::i32}, {}}, print_any, nullptr));
    env_.add("spectest", "print_i64", s.host_function({{vt::i64}, {}}, print_any, nullptr));
    env_.add("spectest", "print_f32", s.host_function({{vt::f32}, {}}, print_any, nullptr));
    env_.add("spectest", "print_f64", s.host_function({{vt::f64}, {}}, print_any, nullptr));
    env_.add("spectest", "print_i32_f32", s.host_function({{vt::i32, vt::f32}, {}}, print_any, nullptr));
    env_.add("spectest", "print_f64_f64", s.host_function({{vt::f64, vt::f64}, {}}, print_any, nullptr));
    env_.add("spectest", "global_i32", s.new_global({vt::i32, false}, wasm::value::from_i32(666)).value());
    env_.add("spectest", "global_i64", s.new_global({vt::i64, false}, wasm::value::from_i64(666)).value());
    env_.add("spectest", "global_f32", s.new_global({vt::f32, false}, wasm::value::from_f32(666.6f)).value());
    env_.add("spectest", "global_f64", s.new_global({vt::f64, false}, wasm::value::from_f64(666.6)).value());
    env_.add("spectest", "table",
             s.new_table({vt::funcref, {10, 20, true}}, wasm::value::from_ref(vt::funcref, nullptr)).value());
    env_.add("spectest", "memory", s.new_memory({{1, 2, true}}).value());
  }

  void file(const std::string& path, counts& c, counts& file_counts) {
    std::string text;
    json doc;
    if (!read_file(path, text) || !json_parser(text).parse(doc)) {
      std::printf("%s: cannot read the JSON\n", path.c_str());
      file_counts.failed["file"]++;
      return;
    }
    reset();
    const json* cmds = doc.get("commands");
    if (!cmds) return;
    for (const auto& cmd : cmds->items) command(cmd, file_counts, path);
    for (auto& [k, v] : file_counts.passed) c.passed[k] += v;
    for (auto& [k, v] : file_counts.failed) c.failed[k] += v;
    for (auto& [k, v] : file_counts.skipped) c.skipped[k] += v;
  }

 private:
  bool load(const json& cmd, vitte::result<wasm::module>& m, vitte::diagnostic& why) {
    std::string bytes;
    if (!read_file(dir_ + "/" + cmd.str("filename"), bytes)) return false;
    m = wasm::decode(vitte::detail::bytes_of(bytes), &why);
    return true;
  }

  void fail(counts& c, const std::string& kind, const std::string& file, const json& cmd, const std::string& msg) {
    c.failed[kind]++;
    if (failures_shown_ < 400)
      std::printf("FAIL %s:%d %s: %s\n", file.c_str(), static_cast<int>(cmd.get("line") ? cmd.get("line")->n : 0),
                  kind.c_str(), msg.c_str()),
          ++failures_shown_;
  }

  wasm::instance target(const json& action) {
    std::string name = action.str("module");
    if (name.empty()) return current_;
    auto it = named_.find(name);
    return it == named_.end() ? wasm::instance() : it->second;
  }

  // The lanes of a v128 ("lane_type" and one string per lane), as bytes.
  static bool lanes(const json& v, std::uint8_t (&bytes)[16], std::vector<std::string>* each = nullptr) {
    std::string lt = v.str("lane_type");
    const json* vals = v.get("value");
    int width = lt == "i8" ? 1 : lt == "i16" ? 2 : lt == "i32" || lt == "f32" ? 4 : lt == "i64" || lt == "f64" ? 8 : 0;
    if (width == 0 || vals == nullptr || vals->items.size() * width != 16) return false;
    for (std::size_t i = 0; i < vals->items.size(); ++i) {
      const std::string& x = vals->items[i].s;
      if (each) each->push_back(x);
      std::uint64_t b = x.compare(0, 4, "nan:") == 0 ? 0 : std::strtoull(x.c_str(), nullptr, 10);
      for (int k = 0; k < width; ++k) bytes[i * width + k] = static_cast<std::uint8_t>(b >> (8 * k));
    }
    return true;
  }
  static std::uint64_t half(const std::uint8_t* b) {
    std::uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = v << 8 | b[k];
    return v;
  }

  static bool parse_value(const json& v, wasm::value& out) {
    std::string t = v.str("type"), s = v.str("value");
    using vt = wasm::value_type;
    if (t == "v128") {
      std::uint8_t b[16];
      if (!lanes(v, b)) return false;
      out = wasm::value::from_v128(half(b), half(b + 8));
    } else if (t == "i32")
      out = {vt::i32, std::strtoull(s.c_str(), nullptr, 10) & 0xffffffffu};
    else if (t == "i64")
      out = {vt::i64, std::strtoull(s.c_str(), nullptr, 10)};
    else if (t == "f32")
      out = {vt::f32, std::strtoull(s.c_str(), nullptr, 10) & 0xffffffffu};
    else if (t == "f64")
      out = {vt::f64, std::strtoull(s.c_str(), nullptr, 10)};
    else if (t == "externref")
      out = {vt::externref, s == "null" ? 0 : std::strtoull(s.c_str(), nullptr, 10) + 1};
    else if (t == "funcref")
      out = {vt::funcref, 0};
    else
      return false;
    return true;
  }

  // Runs an action; results in `out`. The error when it traps.
  vitte::error act(const json& action, std::vector<wasm::value>& out, std::string& problem) {
    wasm::instance inst = target(action);
    if (!inst) {
      problem = "no such module";
      return vitte::error{vitte::errc::not_found};
    }
    std::string field = action.str("field");
    if (action.str("type") == "get") {
      wasm::global g = inst.global(field);
      if (!g) {
        problem = "no such global " + field;
        return vitte::error{vitte::errc::not_found};
      }
      out = {g.get()};
      return {};
    }
    wasm::function f = inst.function(field);
    if (!f) {
      problem = "no such function " + field;
      return vitte::error{vitte::errc::not_found};
    }
    std::vector<wasm::value> args;
    if (const json* a = action.get("args"))
      for (const auto& v : a->items) {
        wasm::value x;
        if (!parse_value(v, x)) {
          problem = "unknown argument type " + v.str("type");
          return vitte::error{vitte::errc::invalid_argument};
        }
        args.push_back(x);
      }
    out.assign(f.type().results.size(), wasm::value{});
    return store_->call(f, args, out);
  }

  // One float lane: a bit pattern, or a NaN class.
  static bool float_lane(const std::string& s, std::uint64_t got, int width) {
    std::uint64_t sign = width == 4 ? 0x80000000ull : 0x8000000000000000ull;
    std::uint64_t quiet = width == 4 ? 0x7fc00000ull : 0x7ff8000000000000ull;
    if (s == "nan:canonical") return (got & ~sign) == quiet;
    if (s == "nan:arithmetic") return (got & quiet) == quiet;
    std::uint64_t want = std::strtoull(s.c_str(), nullptr, 10);
    return got == (width == 4 ? want & 0xffffffffu : want);
  }

  static bool matches(const json& want, const wasm::value& got) {
    std::string t = want.str("type"), s = want.str("value");
    if (t == "v128") {
      std::uint8_t w[16], g[16];
      std::vector<std::string> each;
      if (got.type != wasm::value_type::v128 || !lanes(want, w, &each)) return false;
      for (int k = 0; k < 8; ++k) g[k] = static_cast<std::uint8_t>(got.bits >> (8 * k));
      for (int k = 0; k < 8; ++k) g[8 + k] = static_cast<std::uint8_t>(got.hi >> (8 * k));
      std::string lt = want.str("lane_type");
      if (lt != "f32" && lt != "f64") return std::memcmp(w, g, 16) == 0;
      int width = lt == "f32" ? 4 : 8;
      for (std::size_t i = 0; i < each.size(); ++i) {
        std::uint64_t lane = 0;
        for (int k = width - 1; k >= 0; --k) lane = lane << 8 | g[i * width + k];
        if (!float_lane(each[i], lane, width)) return false;
      }
      return true;
    }
    if (t == "f32") return got.type == wasm::value_type::f32 && float_lane(s, got.bits, 4);
    if (t == "f64") return got.type == wasm::value_type::f64 && float_lane(s, got.bits, 8);
    if (t == "funcref" || t == "externref") {
      if (got.type != (t == "funcref" ? wasm::value_type::funcref : wasm::value_type::externref)) return false;
      if (s == "null") return got.bits == 0;
      if (s.empty()) return got.bits != 0;  // any non-null reference
      return t == "externref" ? got.bits == std::strtoull(s.c_str(), nullptr, 10) + 1 : got.bits != 0;
    }
    wasm::value w;
    if (!parse_value(want, w)) return false;
    return w.type == got.type && w.bits == got.bits;
  }

  static std::string want_text(const json& w) {
    if (w.str("type") != "v128") return w.str("value");
    std::string t = w.str("lane_type") + ":";
    if (const json* vals = w.get("value"))
      for (const auto& x : vals->items) t += " " + x.s;
    return t;
  }

  static std::string show(const wasm::value& v) {
    char buf[64];
    if (v.type == wasm::value_type::v128)
      std::snprintf(buf, sizeof buf, "v128:0x%016llx%016llx", static_cast<unsigned long long>(v.hi),
                    static_cast<unsigned long long>(v.bits));
    else
      std::snprintf(buf, sizeof buf, "%s:0x%llx", wasm::to_string(v.type).data(),
                    static_cast<unsigned long long>(v.bits));
    return buf;
  }

  void command(const json& cmd, counts& c, const std::string& file) {
    std::string type = cmd.str("type");
    if (type == "module") {
      vitte::result<wasm::module> m{vitte::errc::unknown};
      vitte::diagnostic why;
      if (!load(cmd, m, why) || !m)
        return fail(c, "module", file, cmd, std::string("refused: ") + why.format().c_str());
      vitte::diagnostic_list link;
      auto inst = store_->instantiate(*m, env_, &link);
      if (!inst)
        return fail(c, "module", file, cmd,
                    std::string("instantiate: ") + inst.error().message().c_str() + " " + link.joined().c_str());
      current_ = *inst;
      if (!cmd.str("name").empty()) named_[cmd.str("name")] = current_;
      return;
    }
    if (type == "register") {
      wasm::instance inst = current_;
      if (!cmd.str("name").empty()) inst = named_[cmd.str("name")];
      if (inst) env_.add_instance(cmd.str("as"), inst);
      return;
    }
    if (type == "action") {
      std::vector<wasm::value> out;
      std::string problem;
      if (auto e = act(*cmd.get("action"), out, problem)) {
        if (!problem.empty()) return fail(c, "action", file, cmd, problem);
      }
      c.passed["action"]++;
      return;
    }
    if (type == "assert_return") {
      std::vector<wasm::value> out;
      std::string problem;
      if (auto e = act(*cmd.get("action"), out, problem))
        return fail(c, type, file, cmd, problem.empty() ? std::string(e.message().c_str()) : problem);
      const json* exp = cmd.get("expected");
      if (!exp || exp->items.size() != out.size()) return fail(c, type, file, cmd, "result count");
      for (std::size_t i = 0; i < out.size(); ++i)
        if (!matches(exp->items[i], out[i]))
          return fail(c, type, file, cmd,
                      "result " + std::to_string(i) + ": got " + show(out[i]) + ", want " + want_text(exp->items[i]));
      c.passed[type]++;
      return;
    }
    if (type == "assert_trap" || type == "assert_exhaustion") {
      std::vector<wasm::value> out;
      std::string problem;
      vitte::error e = act(*cmd.get("action"), out, problem);
      if (!e || !problem.empty()) return fail(c, type, file, cmd, problem.empty() ? "did not trap" : problem);
      std::string want = cmd.str("text");
      std::string got(wasm::trap_message(e).data(), wasm::trap_message(e).size());
      if (want.compare(0, got.size(), got) != 0 || got.empty())
        return fail(c, type, file, cmd, "trapped with \"" + got + "\", want \"" + want + "\"");
      c.passed[type]++;
      return;
    }
    if (type == "assert_invalid" || type == "assert_malformed") {
      if (cmd.str("module_type") == "text") {
        c.skipped[type]++;
        return;
      }
      vitte::result<wasm::module> m{vitte::errc::unknown};
      vitte::diagnostic why;
      if (!load(cmd, m, why)) return fail(c, type, file, cmd, "cannot read " + cmd.str("filename"));
      if (m) return fail(c, type, file, cmd, "accepted, want \"" + cmd.str("text") + "\"");
      if (why.kind() != m.error().kind()) return fail(c, type, file, cmd, "the diagnostic's kind is not the error's");
      if (verbose_) std::printf("  %s: %s (want %s)\n", type.c_str(), why.format().c_str(), cmd.str("text").c_str());
      c.passed[type]++;
      return;
    }
    if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      vitte::result<wasm::module> m{vitte::errc::unknown};
      vitte::diagnostic why;
      if (!load(cmd, m, why) || !m)
        return fail(c, type, file, cmd, std::string("refused at decode: ") + why.format().c_str());
      vitte::diagnostic_list link;
      auto inst = store_->instantiate(*m, env_, &link);
      if (inst) return fail(c, type, file, cmd, "instantiated, want \"" + cmd.str("text") + "\"");
      bool trap = !wasm::trap_message(inst.error()).empty();
      if ((type == "assert_uninstantiable") != trap)
        return fail(c, type, file, cmd, std::string("failed with ") + inst.error().message().c_str());
      c.passed[type]++;
      return;
    }
    fail(c, type, file, cmd, "unknown command");
  }

  std::string dir_;
  bool verbose_;
  bool scalar_simd_;
  bool checked_memory_;
  std::unique_ptr<wasm::store> store_;
  wasm::imports env_;
  std::map<std::string, wasm::instance> named_;
  wasm::instance current_;
  int failures_shown_ = 0;
};

const char* kinds[] = {"assert_return",  "assert_trap",      "assert_uninstantiable", "assert_exhaustion",
                       "assert_invalid", "assert_malformed", "assert_unlinkable"};

}  // namespace

int main(int argc, char** argv) {
  std::string counts_path, set = "core";
  bool verbose = false, scalar_simd = false, checked_memory = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--counts" && i + 1 < argc)
      counts_path = argv[++i];
    else if (a == "--set" && i + 1 < argc)
      set = argv[++i];
    else if (a == "-v")
      verbose = true;
    else if (a == "--scalar-simd")
      scalar_simd = true;
    else if (a == "--checked-memory")
      checked_memory = true;
    else if (a == "--list" && i + 2 < argc) {
      // The stamp of tests/wasm/convert.py: PART/NAME.json per line, beside it.
      std::string list = argv[++i], part = argv[++i], t;
      if (!read_file(list, t)) {
        std::printf("cannot read %s\n", list.c_str());
        return 1;
      }
      std::string dir = list.substr(0, list.find_last_of('/') + 1);
      std::size_t p = 0;
      while (p < t.size()) {
        std::size_t e = t.find('\n', p);
        if (e == std::string::npos) e = t.size();
        std::string line = t.substr(p, e - p);
        p = e + 1;
        if (line.compare(0, part.size() + 1, part + "/") == 0) files.push_back(dir + line);
      }
    } else
      files.push_back(a);
  }
  // The suite's own table: file -> expected total of assertions.
  std::map<std::string, int> expected;
  if (!counts_path.empty()) {
    std::string t;
    if (!read_file(counts_path, t)) {
      std::printf("cannot read %s\n", counts_path.c_str());
      return 1;
    }
    std::size_t p = 0;
    while (p < t.size()) {
      std::size_t e = t.find('\n', p);
      if (e == std::string::npos) e = t.size();
      std::string line = t.substr(p, e - p);
      p = e + 1;
      std::vector<std::string> cols;
      std::size_t q = 0;
      while (q <= line.size()) {
        std::size_t tab = line.find('\t', q);
        if (tab == std::string::npos) tab = line.size();
        cols.push_back(line.substr(q, tab - q));
        q = tab + 1;
      }
      if (cols.size() > 9 && cols[0] == set) expected[cols[1]] = std::atoi(cols[9].c_str());
    }
  }
  counts total;
  int mismatched = 0, expected_total = 0;
  for (const auto& path : files) {
    std::size_t slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    std::string base = path.substr(slash == std::string::npos ? 0 : slash + 1);
    std::string wast = base.substr(0, base.size() - 5) + ".wast";
    counts fc;
    runner r(dir, verbose, scalar_simd, checked_memory);
    r.file(path, total, fc);
    int seen = 0;
    for (const char* k : kinds) seen += fc.seen(k);
    std::printf("%-28s %5d passed %4d failed %4d skipped", wast.c_str(), fc.total_passed() - fc.passed["action"],
                fc.total_failed(), fc.total_skipped());
    auto it = expected.find(wast);
    if (it != expected.end()) {
      expected_total += it->second;
      if (it->second != seen)
        std::printf("  (the suite counts %d assertions, %d seen)", it->second, seen), ++mismatched;
    }
    std::printf("\n");
  }
  std::printf("\nby kind:\n");
  for (const char* k : kinds)
    std::printf("  %-22s %6d passed %5d failed %5d skipped\n", k, total.passed[k], total.failed[k], total.skipped[k]);
  int passed = 0, failed = total.total_failed(), skipped = total.total_skipped();
  for (const char* k : kinds) passed += total.passed[k];
  std::printf(
      "  bare actions %d, failed commands outside assertions %d\n", total.passed["action"], failed - [&] {
        int n = 0;
        for (const char* k : kinds) n += total.failed[k];
        return n;
      }());
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  if (!expected.empty() && passed + skipped + [&] {
        int n = 0;
        for (const char* k : kinds) n += total.failed[k];
        return n;
      }() != expected_total) {
    std::printf("the suite's table counts %d assertions in these files\n", expected_total);
    return 1;
  }
  return failed != 0 || mismatched != 0 ? 1 : 0;
}
