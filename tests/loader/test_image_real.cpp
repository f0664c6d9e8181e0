// Debian's shared libraries as in-memory ELF images
// (vitte/loader/elf_image/image_set.hpp): each library of the table below,
// with every library it needs, is loaded, run and closed three times under
// dlopen (the oracle, in a dynamic host) and three times as an image set.
// Each exercise does real work through the library's own entry points
// (found by name, with prototypes declared here: no headers needed), asserts
// what it knows (round trips, known digests, query results) and appends
// what it saw to a transcript; every image transcript must equal dlopen's.
// The libraries cover compression (zlib, bzip2, xz, zstd with worker
// threads), databases and interpreters (SQLite, Lua), parsers (libxml2 over
// ICU, Expat, libyaml, Jansson), images (libpng, libjpeg-turbo), big numbers
// (GMP), cryptography (OpenSSL with a TLS handshake between two threads,
// libsodium), regular expressions (PCRE2's JIT, RE2's std::call_once), a
// thread pool (libuv), trampolines (libffi) and a closure of a dozen
// libraries (libarchive). A library that is not installed is skipped. A
// static host has no dlopen: its image cycles are compared with each other
// (and checked by the exercises' own assertions). Under ASan and TSan only
// the dlopen runs happen. The summary says how many behaved alike.
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/elf_image/image_set.hpp>
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/thread.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>  // socketpair: the TLS handshake's connection
#include <sys/wait.h>    // waitpid: a child forked after the unloads
#include <unistd.h>      // close, fork

#include "debian_library.hpp"
#include "loader_fixture.hpp"

namespace ln = vitte::loader::elf_image;
namespace vl = vitte::loader;
using namespace loader_test;

namespace {

/// A library's symbols by name, however it was loaded.
struct lookup {
  std::function<void*(const char*)> address;
  const char* how = "";

  template <class F>
  F* fn(const char* name) const {
    void* p = address(name);
    BOOST_REQUIRE_MESSAGE(p != nullptr, std::string(name) + " not found (" + how + ")");
    return reinterpret_cast<F*>(reinterpret_cast<std::uintptr_t>(p));
  }
  template <class T>
  T* var(const char* name) const {
    void* p = address(name);
    BOOST_REQUIRE_MESSAGE(p != nullptr, std::string(name) + " not found (" + how + ")");
    return static_cast<T*>(p);
  }
};

// --- Helpers --------------------------------------------------------------

std::string hex(const void* p, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned b = static_cast<const unsigned char*>(p)[i];
    s += digits[b >> 4], s += digits[b & 15];
  }
  return s;
}

/// FNV-1a, 64 bits, in hex: a short fingerprint of bytes for a transcript.
std::string fingerprint(const void* p, std::size_t n) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(p)[i]) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}
std::string fingerprint(const std::string& s) { return fingerprint(s.data(), s.size()); }

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

/// `n` bytes of word-like text (compressible, not trivially).
std::string sample(std::size_t n) {
  static const char* const words[] = {"vitte ",   "image ",      "loader ", "debian ", "elf ",
                                      "segment ", "relocation ", "symbol ", "\n"};
  std::string s;
  s.reserve(n + 16);
  std::uint32_t x = 2463534242u;
  while (s.size() < n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    s += words[x % std::size(words)];
    if (x % 7 == 0) s += std::to_string(x % 1000);
  }
  s.resize(n);
  return s;
}

/// The number of threads of this process.
int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return 0;
}

// --- Compression ----------------------------------------------------------

/// zlib: a deflate round trip at level 9, CRC-32 and Adler-32 of known
/// inputs.
void zlib_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*()>("zlibVersion");
  auto bound = l.fn<unsigned long(unsigned long)>("compressBound");
  auto compress = l.fn<int(unsigned char*, unsigned long*, const unsigned char*, unsigned long, int)>("compress2");
  auto uncompress = l.fn<int(unsigned char*, unsigned long*, const unsigned char*, unsigned long)>("uncompress");
  auto crc32 = l.fn<unsigned long(unsigned long, const unsigned char*, unsigned)>("crc32");
  auto adler32 = l.fn<unsigned long(unsigned long, const unsigned char*, unsigned)>("adler32");
  const std::string in = sample(200000);
  std::string packed(bound(in.size()), '\0');
  unsigned long packed_size = packed.size();
  BOOST_TEST(compress(bytes(packed), &packed_size, bytes(in), in.size(), 9) == 0);
  BOOST_TEST(packed_size < in.size() / 2);
  std::string out(in.size(), '\0');
  unsigned long out_size = out.size();
  BOOST_TEST(uncompress(bytes(out), &out_size, bytes(packed), packed_size) == 0);
  BOOST_TEST(out_size == in.size());
  BOOST_TEST((out == in));
  BOOST_TEST(crc32(0, reinterpret_cast<const unsigned char*>("123456789"), 9) == 0xcbf43926ul);
  BOOST_TEST(adler32(1, reinterpret_cast<const unsigned char*>("Wikipedia"), 9) == 0x11e60398ul);
  t += std::string(version()) + " deflated " + std::to_string(in.size()) + " to " + std::to_string(packed_size) + " (" +
       fingerprint(packed.data(), packed_size) + ") crc32 " + std::to_string(crc32(0, bytes(in), in.size()));
}

/// bzip2: a round trip through the buffer-to-buffer interface.
void bzip2_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*()>("BZ2_bzlibVersion");
  auto compress = l.fn<int(char*, unsigned*, char*, unsigned, int, int, int)>("BZ2_bzBuffToBuffCompress");
  auto decompress = l.fn<int(char*, unsigned*, char*, unsigned, int, int)>("BZ2_bzBuffToBuffDecompress");
  std::string in = sample(300000);
  std::string packed(in.size() + in.size() / 100 + 600, '\0');
  unsigned packed_size = static_cast<unsigned>(packed.size());
  BOOST_TEST(compress(packed.data(), &packed_size, in.data(), static_cast<unsigned>(in.size()), 9, 0, 30) == 0);
  std::string out(in.size(), '\0');
  unsigned out_size = static_cast<unsigned>(out.size());
  BOOST_TEST(decompress(out.data(), &out_size, packed.data(), packed_size, 0, 0) == 0);
  BOOST_TEST(out_size == in.size());
  BOOST_TEST((out == in));
  unsigned small_size = static_cast<unsigned>(out.size());  // the low-memory decoder
  BOOST_TEST(decompress(out.data(), &small_size, packed.data(), packed_size, 1, 0) == 0);
  BOOST_TEST((out == in));
  t += std::string(version()) + " " + std::to_string(packed_size) + " " + fingerprint(packed.data(), packed_size);
}

/// xz (liblzma): an .xz stream round trip, CRC-32 and CRC-64 of known
/// inputs.
void xz_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*()>("lzma_version_string");
  auto encode = l.fn<int(std::uint32_t, int, const void*, const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t*,
                         std::size_t)>("lzma_easy_buffer_encode");
  auto decode = l.fn<int(std::uint64_t*, std::uint32_t, const void*, const std::uint8_t*, std::size_t*, std::size_t,
                         std::uint8_t*, std::size_t*, std::size_t)>("lzma_stream_buffer_decode");
  auto crc32 = l.fn<std::uint32_t(const std::uint8_t*, std::size_t, std::uint32_t)>("lzma_crc32");
  auto crc64 = l.fn<std::uint64_t(const std::uint8_t*, std::size_t, std::uint64_t)>("lzma_crc64");
  const std::string in = sample(300000);
  std::string packed(in.size() + 4096, '\0');
  std::size_t packed_size = 0;
  BOOST_TEST(encode(6, 10 /* LZMA_CHECK_SHA256 */, nullptr, bytes(in), in.size(), bytes(packed), &packed_size,
                    packed.size()) == 0);
  std::string out(in.size(), '\0');
  std::uint64_t limit = UINT64_MAX;
  std::size_t in_pos = 0, out_pos = 0;
  BOOST_TEST(decode(&limit, 0, nullptr, bytes(packed), &in_pos, packed_size, bytes(out), &out_pos, out.size()) == 0);
  BOOST_TEST(in_pos == packed_size);
  BOOST_TEST(out_pos == in.size());
  BOOST_TEST((out == in));
  const auto* check = reinterpret_cast<const std::uint8_t*>("123456789");
  BOOST_TEST(crc32(check, 9, 0) == 0xcbf43926u);
  BOOST_TEST(crc64(check, 9, 0) == 0x995dc9bbdf1939faull);
  t += std::string(version()) + " " + std::to_string(packed_size) + " " + fingerprint(packed.data(), packed_size);
}

/// zstd: a one-shot round trip, then multithreaded compression
/// (ZSTD_c_nbWorkers: the library starts worker threads) of 3 MiB.
void zstd_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<unsigned()>("ZSTD_versionNumber");
  auto bound = l.fn<std::size_t(std::size_t)>("ZSTD_compressBound");
  auto compress = l.fn<std::size_t(void*, std::size_t, const void*, std::size_t, int)>("ZSTD_compress");
  auto decompress = l.fn<std::size_t(void*, std::size_t, const void*, std::size_t)>("ZSTD_decompress");
  auto is_error = l.fn<unsigned(std::size_t)>("ZSTD_isError");
  auto error_name = l.fn<const char*(std::size_t)>("ZSTD_getErrorName");
  auto context_new = l.fn<void*()>("ZSTD_createCCtx");
  auto context_free = l.fn<std::size_t(void*)>("ZSTD_freeCCtx");
  auto set = l.fn<std::size_t(void*, int, int)>("ZSTD_CCtx_setParameter");
  auto compress2 = l.fn<std::size_t(void*, void*, std::size_t, const void*, std::size_t)>("ZSTD_compress2");
  auto content_size = l.fn<unsigned long long(const void*, std::size_t)>("ZSTD_getFrameContentSize");

  const std::string in = sample(3u << 20);
  std::string packed(bound(in.size()), '\0');
  const std::size_t one = compress(packed.data(), packed.size(), in.data(), in.size(), 3);
  BOOST_REQUIRE_MESSAGE(!is_error(one), error_name(one));
  BOOST_TEST(content_size(packed.data(), one) == in.size());
  std::string out(in.size(), '\0');
  std::size_t n = decompress(out.data(), out.size(), packed.data(), one);
  BOOST_TEST(n == in.size());
  BOOST_TEST((out == in));
  t += "zstd " + std::to_string(version()) + " " + std::to_string(one) + " " + fingerprint(packed.data(), one);

  const int before = thread_count();
  void* c = context_new();
  BOOST_REQUIRE(c != nullptr);
  std::size_t r = set(c, 100 /* ZSTD_c_compressionLevel */, 3);
  BOOST_TEST(!is_error(r));
  r = set(c, 201 /* ZSTD_c_checksumFlag */, 1);
  BOOST_TEST(!is_error(r));
  r = set(c, 400 /* ZSTD_c_nbWorkers */, 2);
  BOOST_TEST(!is_error(r), "nbWorkers: " << error_name(r));
  r = set(c, 401 /* ZSTD_c_jobSize */, 1 << 20);
  BOOST_TEST(!is_error(r), "jobSize: " << error_name(r));
  const std::size_t mt = compress2(c, packed.data(), packed.size(), in.data(), in.size());
  const int during = thread_count();
  BOOST_TEST(context_free(c) == 0u);
  BOOST_REQUIRE_MESSAGE(!is_error(mt), error_name(mt));
  BOOST_TEST(during >= before + 2, "threads: " << before << " before, " << during << " with 2 workers");
  std::string back(in.size(), '\0');
  n = decompress(back.data(), back.size(), packed.data(), mt);
  BOOST_TEST(n == in.size());
  BOOST_TEST((back == in));
  t += " | 2 workers: " + std::to_string(mt) + " " + fingerprint(packed.data(), mt);
}

// --- Databases and interpreters -------------------------------------------

/// SQLite: an in-memory database, a recursive CTE, aggregates, a window
/// function, JSON, and a prepared statement with bound parameters.
void sqlite_exercise(const lookup& l, std::string& t) {
  using callback = int(void*, int, char**, char**);
  auto version = l.fn<const char*()>("sqlite3_libversion");
  auto open = l.fn<int(const char*, void**)>("sqlite3_open");
  auto exec = l.fn<int(void*, const char*, callback*, void*, char**)>("sqlite3_exec");
  auto prepare = l.fn<int(void*, const char*, int, void**, const char**)>("sqlite3_prepare_v2");
  auto bind_int = l.fn<int(void*, int, int)>("sqlite3_bind_int");
  auto step = l.fn<int(void*)>("sqlite3_step");
  auto column_text = l.fn<const unsigned char*(void*, int)>("sqlite3_column_text");
  auto column_int = l.fn<long long(void*, int)>("sqlite3_column_int64");
  auto finalize = l.fn<int(void*)>("sqlite3_finalize");
  auto close = l.fn<int(void*)>("sqlite3_close");
  auto shutdown = l.fn<int()>("sqlite3_shutdown");
  auto errmsg = l.fn<const char*(void*)>("sqlite3_errmsg");
  auto sqlite_free = l.fn<void(void*)>("sqlite3_free");

  void* db = nullptr;
  BOOST_REQUIRE(open(":memory:", &db) == 0);
  std::string rows;
  callback* collect = [](void* out, int n, char** values, char**) -> int {
    auto& s = *static_cast<std::string*>(out);
    for (int i = 0; i < n; ++i) s += std::string(i ? "|" : "") + (values[i] ? values[i] : "NULL");
    s += ";";
    return 0;
  };
  char* error = nullptr;
  const char* sql =
      "create table t(id integer primary key, name text, grp int);"
      "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000)"
      " insert into t(name, grp) select printf('row%04d', i), i % 7 from n;"
      "create index t_grp on t(grp);"
      "select count(*), sum(id), min(name), max(name) from t;"
      "select grp, count(*), group_concat(id % 10, '') from (select * from t where id <= 30) group by grp order by grp;"
      "select id, sum(id) over (order by id rows 2 preceding) from t where id between 10 and 13;"
      "select json_object('n', count(*), 'avg', avg(id)) from t where grp = 3;";
  const int rc = exec(db, sql, collect, &rows, &error);
  BOOST_TEST(rc == 0, "sqlite3_exec: " << (error ? error : ""));
  if (error) sqlite_free(error);
  BOOST_TEST(rows.rfind("1000|500500|row0001|row1000;", 0) == 0, rows);
  BOOST_TEST(rows.find("10|10;11|21;12|33;13|36;") != std::string::npos, rows);

  void* st = nullptr;
  BOOST_REQUIRE_MESSAGE(
      prepare(db, "select name, id * ? from t where grp = ? order by id desc limit 3", -1, &st, nullptr) == 0,
      errmsg(db));
  BOOST_TEST(bind_int(st, 1, 3) == 0);
  BOOST_TEST(bind_int(st, 2, 5) == 0);
  std::string prepared;
  int r = 0;
  while ((r = step(st)) == 100 /* SQLITE_ROW */)
    prepared +=
        reinterpret_cast<const char*>(column_text(st, 0)) + std::string("=") + std::to_string(column_int(st, 1)) + " ";
  BOOST_TEST(r == 101 /* SQLITE_DONE */);
  BOOST_TEST(prepared == "row0999=2997 row0992=2976 row0985=2955 ");
  BOOST_TEST(finalize(st) == 0);
  BOOST_TEST(close(db) == 0);
  BOOST_TEST(shutdown() == 0);
  t += std::string(version()) + " " + rows + " " + prepared;
}

/// Lua 5.4: the standard libraries, a script whose output goes through a C
/// function of the host (emit), coroutines, closures, pcall, utf8.
struct lua_api {
  int (*gettop)(void*) = nullptr;
  void (*settop)(void*, int) = nullptr;
  const char* (*to_text)(void*, int, std::size_t*) = nullptr;  // luaL_tolstring
  std::string* out = nullptr;
};
lua_api lua_now;

int lua_emit(void* state) {
  const int n = lua_now.gettop(state);
  for (int i = 1; i <= n; ++i) {
    std::size_t len = 0;
    const char* s = lua_now.to_text(state, i, &len);
    if (i > 1) *lua_now.out += '\t';
    lua_now.out->append(s, len);
    lua_now.settop(state, -2);  // lua_pop(L, 1)
  }
  *lua_now.out += '\n';
  return 0;
}

void lua_exercise(const lookup& l, std::string& t) {
  auto new_state = l.fn<void*()>("luaL_newstate");
  auto open_libs = l.fn<void(void*)>("luaL_openlibs");
  auto load = l.fn<int(void*, const char*)>("luaL_loadstring");
  auto pcall = l.fn<int(void*, int, int, int, std::intptr_t, void*)>("lua_pcallk");
  auto to_string = l.fn<const char*(void*, int, std::size_t*)>("lua_tolstring");
  auto push_function = l.fn<void(void*, int (*)(void*), int)>("lua_pushcclosure");
  auto set_global = l.fn<void(void*, const char*)>("lua_setglobal");
  auto close = l.fn<void(void*)>("lua_close");
  std::string out;
  lua_now = {l.fn<int(void*)>("lua_gettop"), l.fn<void(void*, int)>("lua_settop"),
             l.fn<const char*(void*, int, std::size_t*)>("luaL_tolstring"), &out};
  void* state = new_state();
  BOOST_REQUIRE(state != nullptr);
  open_libs(state);
  push_function(state, lua_emit, 0);
  set_global(state, "emit");
  const char* script = R"lua(
    local t = {}
    for i = 1, 10 do t[i] = (i * 7919) % 101 end
    table.sort(t)
    emit(table.concat(t, ","))
    local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
    emit(fib(20), 2^53, 7 // 2, 7 / 2, math.maxinteger, 10 % 3.5)
    local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
    emit(co(1), co(10))
    emit(string.format("%5.2f|%q|%x", math.pi, "a\nb", 255), ("hello world"):gsub("o", "0"))
    local ok, e = pcall(error, {code = 42})
    emit(ok, e.code, select(2, pcall(error, "boom", 0)))
    emit(utf8.char(72, 233, 8364), utf8.len("h\u{E9}llo"), #"h\u{E9}llo")
    local words = {}
    for w in ("gamma alpha beta"):gmatch("%a+") do words[#words + 1] = w:upper() end
    table.sort(words)
    emit(table.concat(words, " "), string.rep("ab", 3, "-"), ("x"):byte(), tostring(nil), 1e100)
    local acc = 0
    for i = 1, 100000 do acc = (acc + i * i) % 1000003 end
    emit(acc, math.type(acc), math.type(1.0), string.pack("<i4", 258):byte(1, -1))
    return "done " .. _VERSION
  )lua";
  BOOST_REQUIRE(load(state, script) == 0);
  const int rc = pcall(state, 0, 1, 0, 0, nullptr);
  const char* result = to_string(state, -1, nullptr);
  BOOST_TEST(rc == 0, (result ? result : "?"));
  BOOST_TEST(std::string(result ? result : "") == "done Lua 5.4");
  t += std::string(result ? result : "") + "\n" + out;
  close(state);
  lua_now = {};
  BOOST_TEST(
      out.rfind("3,6,22,25,41,44,63,66,82,85\n6765\t9.007199254741e+15\t3\t3.5\t9223372036854775807\t3.0\n2\t20\n",
                0) == 0,
      out);
  BOOST_TEST(out.find("false\t42\tboom\n") != std::string::npos, out);
  BOOST_TEST(out.find("ALPHA BETA GAMMA\tab-ab-ab\t120\tnil\t1e+100\n338001\tinteger\tfloat\t2\t1\t0\t0\n") !=
                 std::string::npos,
             out);
  BOOST_TEST(out.find("H\xc3\xa9\xe2\x82\xac\t5\t6\n") != std::string::npos, out);
}

// --- Parsers --------------------------------------------------------------

/// libxml2 (over ICU and zlib): a document with a DTD entity, CDATA and a
/// namespace parsed and serialized, XPath queries, and an ISO-8859-15
/// document converted to UTF-8.
void libxml2_exercise(const lookup& l, std::string& t) {
  auto read = l.fn<void*(const char*, int, const char*, const char*, int)>("xmlReadMemory");
  auto root = l.fn<void*(void*)>("xmlDocGetRootElement");
  auto buffer_new = l.fn<void*()>("xmlBufferCreate");
  auto node_dump = l.fn<int(void*, void*, void*, int, int)>("xmlNodeDump");
  auto buffer_content = l.fn<const unsigned char*(const void*)>("xmlBufferContent");
  auto buffer_free = l.fn<void(void*)>("xmlBufferFree");
  auto free_doc = l.fn<void(void*)>("xmlFreeDoc");
  auto xpath_new = l.fn<void*(void*)>("xmlXPathNewContext");
  auto xpath_eval = l.fn<void*(const unsigned char*, void*)>("xmlXPathEvalExpression");
  auto to_number = l.fn<double(void*)>("xmlXPathCastToNumber");
  auto free_object = l.fn<void(void*)>("xmlXPathFreeObject");
  auto free_context = l.fn<void(void*)>("xmlXPathFreeContext");
  auto cleanup = l.fn<void()>("xmlCleanupParser");

  auto serialize = [&](void* doc) {
    void* buf = buffer_new();
    BOOST_REQUIRE(buf != nullptr);
    node_dump(buf, doc, root(doc), 0, 1);
    std::string s = reinterpret_cast<const char*>(buffer_content(buf));
    buffer_free(buf);
    return s;
  };
  auto number = [&](void* doc, const char* expression) {
    void* context = xpath_new(doc);
    void* value = xpath_eval(reinterpret_cast<const unsigned char*>(expression), context);
    BOOST_TEST(value != nullptr, expression);
    const double d = value ? to_number(value) : -1;
    if (value) free_object(value);
    free_context(context);
    return d;
  };
  const std::string text =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY who \"vitte\">]>\n"
      "<r xmlns:v=\"urn:v\"><item n=\"1\">&who;</item><item n=\"2\"><![CDATA[<raw> & co]]></item>"
      "<!-- note --><v:item n=\"39\">caf\xc3\xa9</v:item><empty/></r>";
  void* doc = read(text.data(), static_cast<int>(text.size()), "r.xml", nullptr, 2 /* NOENT */ | 2048 /* NONET */);
  BOOST_REQUIRE(doc != nullptr);
  const std::string dumped = serialize(doc);
  BOOST_TEST(dumped.find("<item n=\"1\">vitte</item>") != std::string::npos, dumped);
  BOOST_TEST(dumped.find("<![CDATA[<raw> & co]]>") != std::string::npos, dumped);
  BOOST_TEST(number(doc, "count(//*[local-name()='item'])") == 3.0);
  BOOST_TEST(number(doc, "sum(//@n)") == 42.0);
  BOOST_TEST(number(doc, "string-length(/r/*[3])") == 4.0);
  free_doc(doc);

  const std::string latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><e>\xa4 \xbd</e>";
  void* doc2 = read(latin.data(), static_cast<int>(latin.size()), "e.xml", nullptr, 2048);
  BOOST_REQUIRE(doc2 != nullptr);
  const std::string converted = serialize(doc2);
  BOOST_TEST(converted == "<e>\xe2\x82\xac \xc5\x93</e>");  // the euro sign and the oe ligature
  BOOST_TEST(number(doc2, "string-length(/e)") == 3.0);
  free_doc(doc2);
  cleanup();  // frees the parser's globals and thread keys before the unload
  t += dumped + "\n" + converted;
}

/// Expat: a document fed in 7-byte pieces through the host's callbacks,
/// then a malformed one and its error.
struct expat_state {
  std::string out;
};

void expat_exercise(const lookup& l, std::string& t) {
  using start_handler = void(void*, const char*, const char**);
  using end_handler = void(void*, const char*);
  using text_handler = void(void*, const char*, int);
  auto version = l.fn<const char*()>("XML_ExpatVersion");
  auto create = l.fn<void*(const char*)>("XML_ParserCreate");
  auto set_user_data = l.fn<void(void*, void*)>("XML_SetUserData");
  auto set_elements = l.fn<void(void*, start_handler*, end_handler*)>("XML_SetElementHandler");
  auto set_text = l.fn<void(void*, text_handler*)>("XML_SetCharacterDataHandler");
  auto parse = l.fn<int(void*, const char*, int, int)>("XML_Parse");
  auto error_code = l.fn<int(void*)>("XML_GetErrorCode");
  auto error_string = l.fn<const char*(int)>("XML_ErrorString");
  auto line = l.fn<unsigned long(void*)>("XML_GetCurrentLineNumber");
  auto free_parser = l.fn<void(void*)>("XML_ParserFree");

  start_handler* start = [](void* user, const char* name, const char** attributes) {
    auto& s = static_cast<expat_state*>(user)->out;
    s += std::string("<") + name;
    for (int i = 0; attributes[i] != nullptr; i += 2) s += std::string(" ") + attributes[i] + "=" + attributes[i + 1];
    s += ">";
  };
  end_handler* end = [](void* user, const char* name) {
    static_cast<expat_state*>(user)->out += std::string("</") + name + ">";
  };
  text_handler* text = [](void* user, const char* s, int n) {
    static_cast<expat_state*>(user)->out.append(s, static_cast<std::size_t>(n));
  };

  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<list kind=\"libs\">"
      "<lib name=\"expat\" v=\"2\">fast &amp; small</lib><lib name=\"caf&#233;\"/>&lt;done&gt;</list>";
  expat_state state;
  void* p = create(nullptr);
  BOOST_REQUIRE(p != nullptr);
  set_user_data(p, &state);
  set_elements(p, start, end);
  set_text(p, text);
  bool ok = true;
  for (std::size_t at = 0; at < doc.size() && ok; at += 7) {
    const std::size_t n = std::min<std::size_t>(7, doc.size() - at);
    ok = parse(p, doc.data() + at, static_cast<int>(n), 0) == 1;
  }
  ok = ok && parse(p, nullptr, 0, 1) == 1;
  BOOST_TEST(ok, error_string(error_code(p)));
  free_parser(p);
  BOOST_TEST(state.out ==
             "<list kind=libs><lib name=expat v=2>fast & small</lib><lib name=caf\xc3\xa9></lib><done></list>");

  expat_state bad;
  void* q = create(nullptr);
  set_user_data(q, &bad);
  set_elements(q, start, end);
  const std::string broken = "<a>\n<b>\n</a>";
  BOOST_TEST(parse(q, broken.data(), static_cast<int>(broken.size()), 1) == 0);
  const std::string why = std::string(error_string(error_code(q))) + " at line " + std::to_string(line(q));
  BOOST_TEST(why == "mismatched tag at line 3");
  free_parser(q);
  t += std::string(version()) + " " + state.out + " | " + bad.out + " " + why;
}

/// libyaml: the event stream of a document with flow and block
/// collections, an anchor and an alias, a literal block and escapes.
struct yaml_mark {
  std::size_t index, line, column;
};
struct yaml_event {
  int type;
  union {
    struct {
      unsigned char* anchor;
      unsigned char* tag;
      unsigned char* value;
      std::size_t length;
      int plain_implicit, quoted_implicit, style;
    } scalar;
    struct {
      unsigned char* anchor;
    } alias;
    unsigned char room[128];  // larger than any member of yaml_event_t's union
  } data;
  yaml_mark start, end;
};

void yaml_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*()>("yaml_get_version_string");
  auto init = l.fn<int(void*)>("yaml_parser_initialize");
  auto set_input = l.fn<void(void*, const unsigned char*, std::size_t)>("yaml_parser_set_input_string");
  auto parse = l.fn<int(void*, yaml_event*)>("yaml_parser_parse");
  auto event_delete = l.fn<void(yaml_event*)>("yaml_event_delete");
  auto parser_delete = l.fn<void(void*)>("yaml_parser_delete");
  const std::string doc =
      "base: &b {name: vitte, tags: [elf, loader]}\n"
      "derived:\n  <<: *b\n  text: |\n    line one\n    line two\n  quoted: \"a\\tb\\u00e9\"\n"
      "list:\n  - 1\n  - 2.5\n  - ~\n---\n- second\n";
  alignas(16) static unsigned char parser[8192];  // sizeof(yaml_parser_t) is far less
  BOOST_REQUIRE(init(parser) == 1);
  set_input(parser, bytes(doc), doc.size());
  static const char* const names[] = {"?",    "+STR", "-STR", "+DOC", "-DOC", "=ALI",
                                      "=VAL", "+SEQ", "-SEQ", "+MAP", "-MAP"};
  std::string events;
  int scalars = 0;
  for (;;) {
    yaml_event e{};
    if (parse(parser, &e) != 1) {
      events += "error";
      break;
    }
    const int type = e.type;
    events += type >= 0 && type < static_cast<int>(std::size(names)) ? names[type] : "?";
    if (type == 6) {
      std::string v(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
      for (char& c : v)
        if (c == '\n') c = '/';
      events += ":" + v, ++scalars;
      if (e.data.scalar.anchor) events += std::string("&") + reinterpret_cast<const char*>(e.data.scalar.anchor);
    }
    if (type == 5) events += std::string(":*") + reinterpret_cast<const char*>(e.data.alias.anchor);
    events += " ";
    event_delete(&e);
    if (type == 2) break;
  }
  parser_delete(parser);
  BOOST_TEST(events.find("error") == std::string::npos, events);
  BOOST_TEST(events.find("=VAL:line one/line two/ ") != std::string::npos, events);
  BOOST_TEST(events.find("=VAL:a\tb\xc3\xa9 ") != std::string::npos, events);
  BOOST_TEST(events.find("=ALI:*b ") != std::string::npos, events);
  BOOST_TEST(scalars == 17);
  t += std::string(version()) + " " + events;
}

/// Jansson: parse, inspect, build with json_pack, serialize with sorted
/// keys, and a syntax error's position.
struct json_value {
  int type;
  volatile std::size_t refcount;
};
struct json_error {
  int line, column, position;
  char source[80];
  char text[160];
};

void jansson_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*()>("jansson_version_str");
  auto loads = l.fn<json_value*(const char*, std::size_t, json_error*)>("json_loads");
  auto dumpb = l.fn<std::size_t(const json_value*, char*, std::size_t, std::size_t)>("json_dumpb");
  auto get = l.fn<json_value*(const json_value*, const char*)>("json_object_get");
  auto array_size = l.fn<std::size_t(const json_value*)>("json_array_size");
  auto integer_value = l.fn<long long(const json_value*)>("json_integer_value");
  auto pack = l.fn<json_value*(const char*, ...)>("json_pack");
  auto set_new = l.fn<int(json_value*, const char*, json_value*)>("json_object_set_new");
  auto json_delete = l.fn<void(json_value*)>("json_delete");
  // json_decref is inline in jansson.h: the same steps here.
  auto decref = [&](json_value* j) {
    if (j != nullptr && j->refcount != static_cast<std::size_t>(-1) &&
        __atomic_sub_fetch(&j->refcount, 1, __ATOMIC_RELEASE) == 0)
      json_delete(j);
  };
  auto dump = [&](const json_value* j) {
    char buf[1024];
    const std::size_t n = dumpb(j, buf, sizeof buf, 0x80 /* JSON_SORT_KEYS */ | 0x20 /* JSON_COMPACT */);
    BOOST_REQUIRE(n <= sizeof buf);
    return std::string(buf, n);
  };
  json_error error{};
  json_value* doc =
      loads(R"({"name":"vitte","n":[1,2,3,{"deep":true}],"pi":3.25,"u":"caf\u00e9","z":null,"big":9007199254740993})",
            0, &error);
  BOOST_REQUIRE_MESSAGE(doc != nullptr, error.text);
  BOOST_TEST(array_size(get(doc, "n")) == 4u);
  BOOST_TEST(integer_value(get(doc, "big")) == 9007199254740993ll);
  json_value* built = pack("{s:i, s:[s, b, f], s:{}}", "count", 3, "list", "x", 1, 0.5, "empty");
  BOOST_REQUIRE(built != nullptr);
  BOOST_TEST(set_new(built, "doc", doc) == 0);  // takes the reference
  const std::string out = dump(built);
  BOOST_TEST(
      out ==
      R"({"count":3,"doc":{"big":9007199254740993,"n":[1,2,3,{"deep":true}],"name":"vitte","pi":3.25,"u":"café","z":null},"empty":{},"list":["x",true,0.5]})");
  decref(built);
  json_error bad{};
  BOOST_TEST(loads("{\"a\": [1, 2,]}", 0, &bad) == nullptr);
  const std::string why = std::string(bad.text) + " at " + std::to_string(bad.line) + ":" + std::to_string(bad.column);
  BOOST_TEST(bad.line == 1);
  t += std::string(version()) + " " + out + " | " + why;
}

// --- Images ---------------------------------------------------------------

/// libpng's simplified API: a 64x48 RGB gradient written to memory as PNG,
/// read back, pixels compared.
struct png_image_t {
  void* opaque;
  std::uint32_t version, width, height, format, flags, colormap_entries, warning_or_error;
  char message[64];
};

void png_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*(void*)>("png_get_libpng_ver");
  auto write = l.fn<int(png_image_t*, void*, std::size_t*, int, const void*, std::int32_t, const void*)>(
      "png_image_write_to_memory");
  auto begin_read = l.fn<int(png_image_t*, const void*, std::size_t)>("png_image_begin_read_from_memory");
  auto finish_read = l.fn<int(png_image_t*, const void*, void*, std::int32_t, void*)>("png_image_finish_read");
  auto image_free = l.fn<void(png_image_t*)>("png_image_free");
  constexpr unsigned w = 64, h = 48;
  std::string pixels(w * h * 3, '\0');
  for (unsigned y = 0; y < h; ++y)
    for (unsigned x = 0; x < w; ++x) {
      pixels[(y * w + x) * 3 + 0] = static_cast<char>(x * 4);
      pixels[(y * w + x) * 3 + 1] = static_cast<char>(y * 5);
      pixels[(y * w + x) * 3 + 2] = static_cast<char>((x ^ y) * 3);
    }
  png_image_t image{};
  image.version = 1, image.width = w, image.height = h, image.format = 2 /* PNG_FORMAT_RGB */;
  std::string file(1 << 16, '\0');
  std::size_t size = file.size();
  BOOST_TEST(write(&image, file.data(), &size, 0, pixels.data(), 0, nullptr) != 0, image.message);
  image_free(&image);
  BOOST_TEST(file.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  png_image_t back{};
  back.version = 1;
  BOOST_REQUIRE_MESSAGE(begin_read(&back, file.data(), size) != 0, back.message);
  BOOST_TEST(back.width == w);
  BOOST_TEST(back.height == h);
  back.format = 2;
  std::string decoded(w * h * 3, '\0');
  BOOST_TEST(finish_read(&back, nullptr, decoded.data(), 0, nullptr) != 0, back.message);
  image_free(&back);
  BOOST_TEST((decoded == pixels));
  t += std::string(version(nullptr)) + " " + std::to_string(size) + " " + fingerprint(file.data(), size);
}

/// libjpeg-turbo's TurboJPEG API: an RGB image compressed at quality 90,
/// decompressed, and compared within the codec's loss.
void jpeg_exercise(const lookup& l, std::string& t) {
  auto init_compress = l.fn<void*()>("tjInitCompress");
  auto init_decompress = l.fn<void*()>("tjInitDecompress");
  auto compress =
      l.fn<int(void*, const unsigned char*, int, int, int, int, unsigned char**, unsigned long*, int, int, int)>(
          "tjCompress2");
  auto header = l.fn<int(void*, const unsigned char*, unsigned long, int*, int*, int*, int*)>("tjDecompressHeader3");
  auto decompress =
      l.fn<int(void*, const unsigned char*, unsigned long, unsigned char*, int, int, int, int, int)>("tjDecompress2");
  auto error_text = l.fn<char*(void*)>("tjGetErrorStr2");
  auto tj_free = l.fn<void(unsigned char*)>("tjFree");
  auto destroy = l.fn<int(void*)>("tjDestroy");
  constexpr int w = 96, h = 64;
  std::string pixels(w * h * 3, '\0');
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      pixels[(y * w + x) * 3 + 0] = static_cast<char>(x * 2 + 20);
      pixels[(y * w + x) * 3 + 1] = static_cast<char>(y * 3 + 10);
      pixels[(y * w + x) * 3 + 2] = static_cast<char>(128);
    }
  void* c = init_compress();
  BOOST_REQUIRE(c != nullptr);
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  BOOST_TEST(compress(c, bytes(pixels), w, 0, h, 0 /* TJPF_RGB */, &jpeg, &size, 0 /* TJSAMP_444 */, 90, 0) == 0,
             error_text(c));
  BOOST_TEST(destroy(c) == 0);
  BOOST_REQUIRE(jpeg != nullptr);
  BOOST_TEST(jpeg[0] == 0xff);
  BOOST_TEST(jpeg[1] == 0xd8);
  void* d = init_decompress();
  BOOST_REQUIRE(d != nullptr);
  int width = 0, height = 0, subsampling = -1, colorspace = -1;
  BOOST_TEST(header(d, jpeg, size, &width, &height, &subsampling, &colorspace) == 0);
  BOOST_TEST(width == w);
  BOOST_TEST(height == h);
  std::string decoded(w * h * 3, '\0');
  BOOST_TEST(decompress(d, jpeg, size, bytes(decoded), w, 0, h, 0, 0) == 0, error_text(d));
  BOOST_TEST(destroy(d) == 0);
  int worst = 0;
  for (std::size_t i = 0; i < pixels.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<unsigned char>(pixels[i]) - static_cast<unsigned char>(decoded[i])));
  BOOST_TEST(worst <= 8);
  t += "jpeg " + std::to_string(size) + " " + fingerprint(jpeg, size) + " decoded " + fingerprint(decoded) + " worst " +
       std::to_string(worst) + " subsampling " + std::to_string(subsampling);
  tj_free(jpeg);
}

// --- Numbers and cryptography ---------------------------------------------

/// GMP: factorials, powers, the next prime, exact division, printed.
struct mpz {
  int alloc, size;
  void* limbs;
};

void gmp_exercise(const lookup& l, std::string& t) {
  auto version = l.var<const char* const>("__gmp_version");
  auto init = l.fn<void(mpz*)>("__gmpz_init");
  auto clear = l.fn<void(mpz*)>("__gmpz_clear");
  auto factorial = l.fn<void(mpz*, unsigned long)>("__gmpz_fac_ui");
  auto power = l.fn<void(mpz*, unsigned long, unsigned long)>("__gmpz_ui_pow_ui");
  auto next_prime = l.fn<void(mpz*, const mpz*)>("__gmpz_nextprime");
  auto set_text = l.fn<int(mpz*, const char*, int)>("__gmpz_set_str");
  auto divide = l.fn<void(mpz*, const mpz*, const mpz*)>("__gmpz_tdiv_q");
  auto multiply = l.fn<void(mpz*, const mpz*, const mpz*)>("__gmpz_mul");
  auto size_in = l.fn<std::size_t(const mpz*, int)>("__gmpz_sizeinbase");
  auto get_text = l.fn<char*(char*, int, const mpz*)>("__gmpz_get_str");
  auto text = [&](const mpz* z, int base) {
    std::string s(size_in(z, base) + 2, '\0');
    get_text(s.data(), base, z);
    s.resize(std::strlen(s.c_str()));
    return s;
  };
  mpz a, b, c;
  init(&a), init(&b), init(&c);
  factorial(&a, 30);
  BOOST_TEST(text(&a, 10) == "265252859812191058636308480000000");
  power(&b, 2, 100);
  BOOST_TEST(text(&b, 10) == "1267650600228229401496703205376");
  BOOST_TEST(text(&b, 16) == "10000000000000000000000000");
  BOOST_TEST(set_text(&c, "100000000000000000000", 10) == 0);
  next_prime(&c, &c);
  BOOST_TEST(text(&c, 10) == "100000000000000000039");
  factorial(&a, 1000);
  const std::string thousand = text(&a, 10);
  BOOST_TEST(thousand.size() == 2568u);
  factorial(&b, 998);
  divide(&c, &a, &b);
  BOOST_TEST(text(&c, 10) == "999000");
  multiply(&c, &c, &c);
  BOOST_TEST(text(&c, 10) == "998001000000");
  t += std::string(*version) + " 1000! " + fingerprint(thousand) + " " + text(&c, 36);
  clear(&a), clear(&b), clear(&c);
}

/// OpenSSL (libssl.so.3 over libcrypto.so.3, both DF_1_NODELETE): SHA-256
/// of "abc", an EC key and a self-signed certificate made in memory, and a
/// TLS 1.3 handshake over a socketpair between a client and a server thread
/// with a message each way.
void openssl_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*(int)>("OpenSSL_version");
  auto sha256 = l.fn<const void*()>("EVP_sha256");
  auto digest = l.fn<int(const void*, std::size_t, unsigned char*, unsigned*, const void*, void*)>("EVP_Digest");
  auto init = l.fn<int(std::uint64_t, const void*)>("OPENSSL_init_ssl");
  auto keygen = l.fn<void*(void*, const char*, const char*, ...)>("EVP_PKEY_Q_keygen");
  auto key_free = l.fn<void(void*)>("EVP_PKEY_free");
  auto x509_new = l.fn<void*()>("X509_new");
  auto x509_free = l.fn<void(void*)>("X509_free");
  auto set_version = l.fn<int(void*, long)>("X509_set_version");
  auto serial = l.fn<void*(void*)>("X509_get_serialNumber");
  auto integer_set = l.fn<int(void*, long)>("ASN1_INTEGER_set");
  auto not_before = l.fn<void*(void*)>("X509_getm_notBefore");
  auto not_after = l.fn<void*(void*)>("X509_getm_notAfter");
  auto time_adjust = l.fn<void*(void*, long)>("X509_gmtime_adj");
  auto set_public_key = l.fn<int(void*, void*)>("X509_set_pubkey");
  auto subject = l.fn<void*(void*)>("X509_get_subject_name");
  auto add_entry =
      l.fn<int(void*, const char*, int, const unsigned char*, int, int, int)>("X509_NAME_add_entry_by_txt");
  auto set_issuer = l.fn<int(void*, void*)>("X509_set_issuer_name");
  auto sign = l.fn<int(void*, void*, const void*)>("X509_sign");
  auto server_method = l.fn<const void*()>("TLS_server_method");
  auto client_method = l.fn<const void*()>("TLS_client_method");
  auto context_new = l.fn<void*(const void*)>("SSL_CTX_new");
  auto context_free = l.fn<void(void*)>("SSL_CTX_free");
  auto use_certificate = l.fn<int(void*, void*)>("SSL_CTX_use_certificate");
  auto use_key = l.fn<int(void*, void*)>("SSL_CTX_use_PrivateKey");
  auto check_key = l.fn<int(const void*)>("SSL_CTX_check_private_key");
  auto set_suites = l.fn<int(void*, const char*)>("SSL_CTX_set_ciphersuites");
  auto ssl_new = l.fn<void*(void*)>("SSL_new");
  auto ssl_free = l.fn<void(void*)>("SSL_free");
  auto set_fd = l.fn<int(void*, int)>("SSL_set_fd");
  auto connect = l.fn<int(void*)>("SSL_connect");
  auto accept = l.fn<int(void*)>("SSL_accept");
  auto ssl_read = l.fn<int(void*, void*, int)>("SSL_read");
  auto ssl_write = l.fn<int(void*, const void*, int)>("SSL_write");
  auto shutdown = l.fn<int(void*)>("SSL_shutdown");
  auto protocol = l.fn<const char*(const void*)>("SSL_get_version");
  auto cipher = l.fn<const void*(const void*)>("SSL_get_current_cipher");
  auto cipher_name = l.fn<const char*(const void*)>("SSL_CIPHER_get_name");
  auto error_get = l.fn<unsigned long()>("ERR_get_error");
  auto error_text = l.fn<void(unsigned long, char*, std::size_t)>("ERR_error_string_n");
  auto errors = [&] {
    std::string s;
    char buf[256];
    for (unsigned long e; (e = error_get()) != 0;) error_text(e, buf, sizeof buf), s += std::string(buf) + "; ";
    return s;
  };

  unsigned char md[64] = {};
  unsigned n = 0;
  BOOST_TEST(digest("abc", 3, md, &n, sha256(), nullptr) == 1);
  BOOST_TEST(hex(md, n) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  t += std::string(version(0)) + " sha256 " + hex(md, n);
  BOOST_TEST(init(0, nullptr) == 1);

  void* key = keygen(nullptr, nullptr, "EC", "P-256");
  BOOST_REQUIRE_MESSAGE(key != nullptr, "EVP_PKEY_Q_keygen: " << errors());
  void* cert = x509_new();
  BOOST_REQUIRE(cert != nullptr);
  BOOST_TEST(set_version(cert, 2) == 1);
  BOOST_TEST(integer_set(serial(cert), 1) == 1);
  BOOST_TEST(time_adjust(not_before(cert), 0) != nullptr);
  BOOST_TEST(time_adjust(not_after(cert), 3600) != nullptr);
  BOOST_TEST(set_public_key(cert, key) == 1);
  BOOST_TEST(add_entry(subject(cert), "CN", 0x1001 /* MBSTRING_ASC */, reinterpret_cast<const unsigned char*>("vitte"),
                       -1, -1, 0) == 1);
  BOOST_TEST(set_issuer(cert, subject(cert)) == 1);
  BOOST_TEST(sign(cert, key, sha256()) > 0, errors());

  void* server_context = context_new(server_method());
  void* client_context = context_new(client_method());
  BOOST_REQUIRE(server_context != nullptr);
  BOOST_REQUIRE(client_context != nullptr);
  BOOST_TEST(use_certificate(server_context, cert) == 1);
  BOOST_TEST(use_key(server_context, key) == 1);
  BOOST_TEST(check_key(server_context) == 1);
  BOOST_TEST(set_suites(server_context, "TLS_AES_128_GCM_SHA256") == 1);
  BOOST_TEST(set_suites(client_context, "TLS_AES_128_GCM_SHA256") == 1);

  int fds[2] = {-1, -1};
  BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  void* server = ssl_new(server_context);
  void* client = ssl_new(client_context);
  BOOST_REQUIRE(server != nullptr);
  BOOST_REQUIRE(client != nullptr);
  BOOST_TEST(set_fd(server, fds[1]) == 1);
  BOOST_TEST(set_fd(client, fds[0]) == 1);
  int accepted = 0;
  std::string heard;
  auto server_thread = sys::thread::spawn([&] {
    accepted = accept(server);
    if (accepted != 1) return;
    char buf[128];
    const int got = ssl_read(server, buf, sizeof buf);
    if (got <= 0) return;
    heard.assign(buf, static_cast<std::size_t>(got));
    const std::string reply = "echo: " + heard;
    ssl_write(server, reply.data(), static_cast<int>(reply.size()));
    shutdown(server);
  });
  BOOST_REQUIRE(server_thread.has_value());
  const int connected = connect(client);
  std::string reply;
  if (connected == 1) {
    const std::string hello = "hello over TLS";
    BOOST_TEST(ssl_write(client, hello.data(), static_cast<int>(hello.size())) == static_cast<int>(hello.size()));
    char buf[128];
    const int got = ssl_read(client, buf, sizeof buf);
    if (got > 0) reply.assign(buf, static_cast<std::size_t>(got));
  } else {
    ::shutdown(fds[0], SHUT_RDWR);  // the server's accept sees the end and returns
  }
  BOOST_REQUIRE(server_thread->join().has_value());
  BOOST_TEST(connected == 1, errors());
  BOOST_TEST(accepted == 1);
  BOOST_TEST(heard == "hello over TLS");
  BOOST_TEST(reply == "echo: hello over TLS");
  const std::string negotiated =
      connected == 1 ? std::string(protocol(client)) + " " + cipher_name(cipher(client)) : "";
  BOOST_TEST(negotiated == "TLSv1.3 TLS_AES_128_GCM_SHA256");
  if (connected == 1) shutdown(client);
  ssl_free(client);
  ssl_free(server);
  ::close(fds[0]);
  ::close(fds[1]);
  context_free(client_context);
  context_free(server_context);
  x509_free(cert);
  key_free(key);
  t += " | " + negotiated + " | " + heard + " | " + reply;
}

/// libsodium: SHA-256 and BLAKE2b of "abc", a secretbox with a fixed key
/// and nonce, and an Ed25519 signature from a fixed seed (all deterministic).
void sodium_exercise(const lookup& l, std::string& t) {
  auto version = l.fn<const char*()>("sodium_version_string");
  auto init = l.fn<int()>("sodium_init");
  auto sha256 = l.fn<int(unsigned char*, const unsigned char*, unsigned long long)>("crypto_hash_sha256");
  auto blake2b = l.fn<int(unsigned char*, std::size_t, const unsigned char*, unsigned long long, const unsigned char*,
                          std::size_t)>("crypto_generichash");
  auto seal =
      l.fn<int(unsigned char*, const unsigned char*, unsigned long long, const unsigned char*, const unsigned char*)>(
          "crypto_secretbox_easy");
  auto open =
      l.fn<int(unsigned char*, const unsigned char*, unsigned long long, const unsigned char*, const unsigned char*)>(
          "crypto_secretbox_open_easy");
  auto seed_keypair = l.fn<int(unsigned char*, unsigned char*, const unsigned char*)>("crypto_sign_seed_keypair");
  auto sign =
      l.fn<int(unsigned char*, unsigned long long*, const unsigned char*, unsigned long long, const unsigned char*)>(
          "crypto_sign_detached");
  auto verify = l.fn<int(const unsigned char*, const unsigned char*, unsigned long long, const unsigned char*)>(
      "crypto_sign_verify_detached");
  auto random_close = l.fn<int()>("randombytes_close");
  BOOST_TEST(init() >= 0);
  const auto* abc = reinterpret_cast<const unsigned char*>("abc");
  unsigned char h[32];
  BOOST_TEST(sha256(h, abc, 3) == 0);
  BOOST_TEST(hex(h, 32) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(blake2b(h, 32, abc, 3, nullptr, 0) == 0);
  BOOST_TEST(hex(h, 32) == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  unsigned char key[32], nonce[24];
  for (unsigned i = 0; i < 32; ++i) key[i] = static_cast<unsigned char>(i);
  for (unsigned i = 0; i < 24; ++i) nonce[i] = static_cast<unsigned char>(100 + i);
  const std::string message = "attack at dawn";
  std::string boxed(message.size() + 16, '\0'), opened(message.size(), '\0');
  BOOST_TEST(seal(bytes(boxed), bytes(message), message.size(), nonce, key) == 0);
  BOOST_TEST(open(bytes(opened), bytes(boxed), boxed.size(), nonce, key) == 0);
  BOOST_TEST(opened == message);
  boxed[3] = static_cast<char>(boxed[3] ^ 1);
  BOOST_TEST(open(bytes(opened), bytes(boxed), boxed.size(), nonce, key) == -1);  // forged
  unsigned char seed[32], pk[32], sk[64], signature[64];
  std::memset(seed, 0x42, sizeof seed);
  BOOST_TEST(seed_keypair(pk, sk, seed) == 0);
  unsigned long long signature_size = 0;
  BOOST_TEST(sign(signature, &signature_size, bytes(message), message.size(), sk) == 0);
  BOOST_TEST(signature_size == 64u);
  BOOST_TEST(verify(signature, bytes(message), message.size(), pk) == 0);
  signature[0] ^= 1;
  BOOST_TEST(verify(signature, bytes(message), message.size(), pk) == -1);
  signature[0] ^= 1;
  t += std::string(version()) + " box " + hex(boxed.data(), boxed.size()) + " pk " + hex(pk, 32) + " sig " +
       hex(signature, 64);
  BOOST_TEST(random_close() == 0);
}

// --- Regular expressions --------------------------------------------------

/// PCRE2: a pattern with named groups compiled to machine code by the JIT
/// (pcre2_jit_match refuses code the JIT did not compile), every match of a
/// subject, and a global substitution.
void pcre2_exercise(const lookup& l, std::string& t) {
  using uchar = unsigned char;
  auto config = l.fn<int(std::uint32_t, void*)>("pcre2_config_8");
  auto compile = l.fn<void*(const uchar*, std::size_t, std::uint32_t, int*, std::size_t*, void*)>("pcre2_compile_8");
  auto jit_compile = l.fn<int(void*, std::uint32_t)>("pcre2_jit_compile_8");
  auto match_data_new = l.fn<void*(const void*, void*)>("pcre2_match_data_create_from_pattern_8");
  auto jit_match =
      l.fn<int(const void*, const uchar*, std::size_t, std::size_t, std::uint32_t, void*, void*)>("pcre2_jit_match_8");
  auto ovector = l.fn<std::size_t*(void*)>("pcre2_get_ovector_pointer_8");
  auto substitute = l.fn<int(const void*, const uchar*, std::size_t, std::size_t, std::uint32_t, void*, void*,
                             const uchar*, std::size_t, uchar*, std::size_t*)>("pcre2_substitute_8");
  auto match_data_free = l.fn<void(void*)>("pcre2_match_data_free_8");
  auto code_free = l.fn<void(void*)>("pcre2_code_free_8");
  auto jit_free_unused = l.fn<void(void*)>("pcre2_jit_free_unused_memory_8");
  std::uint32_t jit = 0;
  BOOST_TEST(config(1 /* PCRE2_CONFIG_JIT */, &jit) == 0);
  BOOST_REQUIRE_MESSAGE(jit == 1, "this libpcre2-8 has no JIT");
  char version[64] = {};
  BOOST_TEST(config(11 /* PCRE2_CONFIG_VERSION */, version) > 0);
  const std::string pattern = R"((?<user>[\w.]+)@(?<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+))";
  int error = 0;
  std::size_t offset = 0;
  void* code = compile(bytes(pattern), pattern.size(), 0x8 /* CASELESS */ | 0x80000 /* UTF */ | 0x20000 /* UCP */,
                       &error, &offset, nullptr);
  BOOST_REQUIRE_MESSAGE(code != nullptr, "pcre2_compile error " << error << " at " << offset);
  BOOST_TEST(jit_compile(code, 1 /* PCRE2_JIT_COMPLETE */) == 0);
  void* md = match_data_new(code, nullptr);
  BOOST_REQUIRE(md != nullptr);
  const std::string subject = "Mail alice@example.com, BOB.smith@Mail.Example.org; not@ or x@y.z and caf\xc3\xa9@x.fr";
  std::string found;
  for (std::size_t at = 0;;) {
    const int rc = jit_match(code, bytes(subject), subject.size(), at, 0, md, nullptr);
    if (rc < 0) {
      BOOST_TEST(rc == -1);  // PCRE2_ERROR_NOMATCH, not a JIT error
      break;
    }
    const std::size_t* v = ovector(md);
    found += subject.substr(v[2], v[3] - v[2]) + " at " + subject.substr(v[4], v[5] - v[4]) + "; ";
    at = v[1];
  }
  BOOST_TEST(found == "alice at example.com; BOB.smith at Mail.Example.org; x at y.z; caf\xc3\xa9 at x.fr; ");
  const std::string replacement = "<${host}:${user}>";
  std::string out(256, '\0');
  std::size_t out_size = out.size();
  const int count = substitute(code, bytes(subject), subject.size(), 0, 0x100 /* SUBSTITUTE_GLOBAL */, md, nullptr,
                               bytes(replacement), replacement.size(), bytes(out), &out_size);
  BOOST_TEST(count == 4);
  out.resize(out_size);
  BOOST_TEST(out == "Mail <example.com:alice>, <Mail.Example.org:BOB.smith>; not@ or <y.z:x> and <x.fr:caf\xc3\xa9>");
  match_data_free(md);
  code_free(code);
  jit_free_unused(nullptr);
  t += std::string(version) + " " + found + out;
}

/// re2::StringPiece: what RE2's match functions take.
struct string_piece {
  const char* data;
  std::size_t size;
};

/// RE2 (libre2.so.9, C++) through its C++ entry points: RE2::Init runs
/// std::call_once, and so does ReverseProg, in this thread and another.
void re2_exercise(const lookup& l, std::string& t) {
  using full_match = bool(const string_piece&, const void*, const void* const*, int);
  auto make = l.fn<void(void*, const char*)>("_ZN3re23RE2C1EPKc");
  auto destroy = l.fn<void(void*)>("_ZN3re23RE2D1Ev");
  auto size = l.fn<int(const void*)>("_ZNK3re23RE211ProgramSizeEv");
  auto reverse_size = l.fn<int(const void*)>("_ZNK3re23RE218ReverseProgramSizeEv");
  auto full = l.fn<full_match>("_ZN3re23RE210FullMatchNERKNS_11StringPieceERKS0_PKPKNS0_3ArgEi");
  alignas(16) static unsigned char re[4096];  // sizeof(RE2) is far less
  make(re, "(a+)(b|c)d*");
  const bool yes = full(string_piece{"aaacdd", 6}, re, nullptr, 0), no = full(string_piece{"xyz", 3}, re, nullptr, 0);
  BOOST_TEST(yes);
  BOOST_TEST(!no);
  std::string here = std::to_string(size(re)) + " " + std::to_string(reverse_size(re)) + " " + std::to_string(yes) +
                     std::to_string(no);
  std::string there;
  bool there_matched = false;
  auto th = sys::thread::spawn([&] {
    alignas(16) static unsigned char other[4096];
    make(other, "x+y");
    there_matched = full(string_piece{"xxy", 3}, other, nullptr, 0);
    there = std::to_string(reverse_size(other)) + std::to_string(there_matched);
    destroy(other);
  });
  BOOST_REQUIRE(th.has_value());
  BOOST_REQUIRE(th->join().has_value());
  BOOST_TEST(there_matched);
  destroy(re);
  t += here + " | " + there;
}

// --- Threads and trampolines ----------------------------------------------

/// libuv: 16 jobs on its thread pool (uv_queue_work), each run off the
/// loop's thread and completed on it. The pool's threads stay until the
/// library's destructor joins them at the unload.
struct uv_job {
  unsigned index = 0;
  std::uint64_t result = 0;
  std::thread::id loop;
  bool off_loop = false, done_on_loop = false;
  int status = -1;
};

void uv_exercise(const lookup& l, std::string& t) {
  using work_cb = void(void*);
  using after_cb = void(void*, int);
  auto version = l.fn<const char*()>("uv_version_string");
  auto loop_size = l.fn<std::size_t()>("uv_loop_size");
  auto request_size = l.fn<std::size_t(int)>("uv_req_size");
  auto loop_init = l.fn<int(void*)>("uv_loop_init");
  auto run = l.fn<int(void*, int)>("uv_run");
  auto loop_close = l.fn<int(void*)>("uv_loop_close");
  auto queue_work = l.fn<int(void*, void*, work_cb*, after_cb*)>("uv_queue_work");
  const std::size_t work_size = request_size(7 /* UV_WORK */);
  BOOST_REQUIRE(work_size >= sizeof(void*));
  BOOST_REQUIRE(work_size < 1024u);
  std::vector<std::max_align_t> loop(loop_size() / sizeof(std::max_align_t) + 1);
  BOOST_REQUIRE(loop_init(loop.data()) == 0);
  work_cb* work = [](void* request) {
    uv_job& job = **static_cast<uv_job**>(request);  // uv_req_t::data comes first
    std::uint64_t x = job.index + 1;
    for (int i = 0; i < 200000; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
    job.result = x;
    job.off_loop = std::this_thread::get_id() != job.loop;
  };
  after_cb* after = [](void* request, int status) {
    uv_job& job = **static_cast<uv_job**>(request);
    job.status = status;
    job.done_on_loop = std::this_thread::get_id() == job.loop;
  };
  constexpr unsigned jobs = 16;
  std::vector<uv_job> state(jobs);
  std::vector<std::vector<std::max_align_t>> requests(jobs);
  for (unsigned i = 0; i < jobs; ++i) {
    state[i].index = i;
    state[i].loop = std::this_thread::get_id();
    requests[i].resize(work_size / sizeof(std::max_align_t) + 1);
    *reinterpret_cast<uv_job**>(requests[i].data()) = &state[i];
    BOOST_TEST(queue_work(loop.data(), requests[i].data(), work, after) == 0);
  }
  BOOST_TEST(run(loop.data(), 0 /* UV_RUN_DEFAULT */) == 0);
  BOOST_TEST(loop_close(loop.data()) == 0);
  std::uint64_t sum = 0;
  unsigned off = 0, on = 0, ok = 0;
  for (const uv_job& j : state) sum ^= j.result, off += j.off_loop, on += j.done_on_loop, ok += j.status == 0;
  BOOST_TEST(off == jobs);
  BOOST_TEST(on == jobs);
  BOOST_TEST(ok == jobs);
  t += std::string(version()) + " " + std::to_string(jobs) + " jobs, " + std::to_string(off) + " off the loop, " +
       std::to_string(on) + " completed on it, xor " + std::to_string(sum);
}

/// libffi: a call to a host function through a call interface prepared at
/// run time, and a closure (a trampoline the library makes) that the host
/// calls as a plain function pointer.
double ffi_target(int a, double b, const char* c) { return a * b + static_cast<double>(std::strlen(c)); }

void ffi_exercise(const lookup& l, std::string& t) {
  using handler = void(void*, void*, void**, void*);
#if defined(__x86_64__) || (defined(__arm__) && defined(__ARM_PCS_VFP))
  const int abi = 2;  // FFI_UNIX64, FFI_VFP
#else
  const int abi = 1;  // FFI_SYSV (AArch64, RISC-V 64)
#endif
  auto prep = l.fn<int(void*, int, unsigned, void*, void**)>("ffi_prep_cif");
  auto call = l.fn<void(void*, void (*)(), void*, void**)>("ffi_call");
  auto closure_alloc = l.fn<void*(std::size_t, void**)>("ffi_closure_alloc");
  auto closure_prep = l.fn<int(void*, void*, handler*, void*, void*)>("ffi_prep_closure_loc");
  auto closure_free = l.fn<void(void*)>("ffi_closure_free");
  void* t_double = l.var<void>("ffi_type_double");
  void* t_int = l.var<void>("ffi_type_sint32");
  void* t_pointer = l.var<void>("ffi_type_pointer");
  alignas(16) unsigned char cif[256] = {};  // sizeof(ffi_cif) is far less
  void* types[] = {t_int, t_double, t_pointer};
  BOOST_REQUIRE(prep(cif, abi, 3, t_double, types) == 0);
  int a = 6;
  double b = 7.25;
  const char* c = "vitte";
  void* values[] = {&a, &b, &c};
  double result = 0;
  call(cif, reinterpret_cast<void (*)()>(&ffi_target), &result, values);
  BOOST_TEST(result == 48.5);

  alignas(16) unsigned char cif2[256] = {};
  void* types2[] = {t_int, t_int};
  BOOST_REQUIRE(prep(cif2, abi, 2, t_int, types2) == 0);
  void* code = nullptr;
  void* closure = closure_alloc(256, &code);  // sizeof(ffi_closure) is far less
  BOOST_REQUIRE(closure != nullptr);
  BOOST_REQUIRE(code != nullptr);
  int bias = 1000;
  handler* add = [](void*, void* ret, void** args, void* user) {
    *static_cast<long*>(ret) =
        *static_cast<int*>(args[0]) * 10 + *static_cast<int*>(args[1]) + *static_cast<int*>(user);
  };
  BOOST_REQUIRE(closure_prep(closure, cif2, add, &bias, code) == 0);
  auto f = reinterpret_cast<int (*)(int, int)>(reinterpret_cast<std::uintptr_t>(code));
  const int r1 = f(3, 4), r2 = f(-5, 9);
  BOOST_TEST(r1 == 1034);
  BOOST_TEST(r2 == 959);
  closure_free(closure);
  t += "call " + std::to_string(result) + " closure " + std::to_string(r1) + " " + std::to_string(r2);
}

// --- A closure of a dozen libraries ---------------------------------------

/// libarchive: a ustar archive of three files written in memory through
/// each compression filter (gzip: zlib, bzip2, xz with two threads: liblzma,
/// zstd, lz4), read back with format and filter detection.
void archive_exercise(const lookup& l, std::string& t) {
  using add_filter = int(void*);
  auto details = l.fn<const char*()>("archive_version_string");
  auto write_new = l.fn<void*()>("archive_write_new");
  auto set_ustar = l.fn<int(void*)>("archive_write_set_format_ustar");
  auto set_option = l.fn<int(void*, const char*, const char*, const char*)>("archive_write_set_filter_option");
  auto open_memory = l.fn<int(void*, void*, std::size_t, std::size_t*)>("archive_write_open_memory");
  auto entry_new = l.fn<void*()>("archive_entry_new");
  auto entry_free = l.fn<void(void*)>("archive_entry_free");
  auto set_path = l.fn<void(void*, const char*)>("archive_entry_set_pathname");
  auto set_size = l.fn<void(void*, std::int64_t)>("archive_entry_set_size");
  auto set_type = l.fn<void(void*, unsigned)>("archive_entry_set_filetype");
  auto set_perm = l.fn<void(void*, unsigned)>("archive_entry_set_perm");
  auto set_mtime = l.fn<void(void*, std::time_t, long)>("archive_entry_set_mtime");
  auto write_header = l.fn<int(void*, void*)>("archive_write_header");
  auto write_data = l.fn<long(void*, const void*, std::size_t)>("archive_write_data");
  auto write_close = l.fn<int(void*)>("archive_write_close");
  auto write_free = l.fn<int(void*)>("archive_write_free");
  auto read_new = l.fn<void*()>("archive_read_new");
  auto all_filters = l.fn<int(void*)>("archive_read_support_filter_all");
  auto all_formats = l.fn<int(void*)>("archive_read_support_format_all");
  auto read_open = l.fn<int(void*, const void*, std::size_t)>("archive_read_open_memory");
  auto next_header = l.fn<int(void*, void**)>("archive_read_next_header");
  auto entry_path = l.fn<const char*(void*)>("archive_entry_pathname");
  auto entry_size = l.fn<std::int64_t(void*)>("archive_entry_size");
  auto read_data = l.fn<long(void*, void*, std::size_t)>("archive_read_data");
  auto filter_name = l.fn<const char*(void*, int)>("archive_filter_name");
  auto format_name = l.fn<const char*(void*)>("archive_format_name");
  auto read_free = l.fn<int(void*)>("archive_read_free");
  auto error_string = l.fn<const char*(void*)>("archive_error_string");
  auto why = [&](void* a) { return std::string(error_string(a) ? error_string(a) : "?"); };

  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 37) & 0xff);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"a.txt", sample(60000)}, {"dir/b.bin", binary}, {"dir/empty", ""}};
  const std::pair<const char*, const char*> filters[] = {{"archive_write_add_filter_gzip", "gzip"},
                                                         {"archive_write_add_filter_bzip2", "bzip2"},
                                                         {"archive_write_add_filter_xz", "xz"},
                                                         {"archive_write_add_filter_zstd", "zstd"},
                                                         {"archive_write_add_filter_lz4", "lz4"}};
  t += details();
  for (const auto& [function, name] : filters) {
    BOOST_TEST_CONTEXT("filter " << name) {
      std::string buf(1 << 20, '\0');
      std::size_t used = 0;
      void* w = write_new();
      BOOST_REQUIRE(w != nullptr);
      BOOST_TEST(l.fn<add_filter>(function)(w) == 0, why(w));
      BOOST_TEST(set_ustar(w) == 0);
      if (std::string(name) == "xz") BOOST_TEST(set_option(w, "xz", "threads", "2") == 0, why(w));
      BOOST_TEST(open_memory(w, buf.data(), buf.size(), &used) == 0, why(w));
      for (const auto& [path, content] : files) {
        void* e = entry_new();
        set_path(e, path.c_str());
        set_size(e, static_cast<std::int64_t>(content.size()));
        set_type(e, 0100000 /* AE_IFREG */);
        set_perm(e, 0644);
        set_mtime(e, 1700000000, 0);
        BOOST_TEST(write_header(w, e) == 0, why(w));
        if (!content.empty())
          BOOST_TEST(write_data(w, content.data(), content.size()) == static_cast<long>(content.size()), why(w));
        entry_free(e);
      }
      BOOST_TEST(write_close(w) == 0, why(w));
      BOOST_TEST(write_free(w) == 0);
      BOOST_TEST(used > 0u);

      void* r = read_new();
      BOOST_REQUIRE(r != nullptr);
      BOOST_TEST(all_filters(r) == 0);
      BOOST_TEST(all_formats(r) == 0);
      BOOST_TEST(read_open(r, buf.data(), used) == 0, why(r));
      std::string listing;
      std::size_t index = 0;
      void* e = nullptr;
      int rc = 0;
      while ((rc = next_header(r, &e)) == 0) {
        std::string content;
        char chunk[8192];
        for (long n; (n = read_data(r, chunk, sizeof chunk)) > 0;) content.append(chunk, static_cast<std::size_t>(n));
        BOOST_REQUIRE(index < files.size());
        BOOST_TEST(entry_path(e) == files[index].first);
        BOOST_TEST(entry_size(e) == static_cast<std::int64_t>(files[index].second.size()));
        BOOST_TEST((content == files[index].second));
        listing += std::string(entry_path(e)) + "=" + fingerprint(content) + " ";
        ++index;
      }
      BOOST_TEST(rc == 1 /* ARCHIVE_EOF */, why(r));
      BOOST_TEST(index == files.size());
      const std::string filter = filter_name(r, 0);
      BOOST_TEST(filter == name);
      t += std::string("\n") + filter + " " + format_name(r) + ": " + listing;
      BOOST_TEST(read_free(r) == 0);
    }
  }
}

// --- The table ------------------------------------------------------------

struct exercise {
  const char* file;     // in the multiarch directory
  const char* package;  // Debian 12's
  void (*run)(const lookup&, std::string&);
};

const exercise exercises[] = {
    {"libz.so.1", "zlib1g", zlib_exercise},
    {"libbz2.so.1.0", "libbz2-1.0", bzip2_exercise},
    {"liblzma.so.5", "liblzma5", xz_exercise},
    {"libzstd.so.1", "libzstd1", zstd_exercise},
    {"libsqlite3.so.0", "libsqlite3-0", sqlite_exercise},
    {"liblua5.4.so.0", "liblua5.4-0", lua_exercise},
    {"libxml2.so.2", "libxml2", libxml2_exercise},
    {"libexpat.so.1", "libexpat1", expat_exercise},
    {"libyaml-0.so.2", "libyaml-0-2", yaml_exercise},
    {"libjansson.so.4", "libjansson4", jansson_exercise},
    {"libpng16.so.16", "libpng16-16", png_exercise},
    {"libturbojpeg.so.0", "libturbojpeg0", jpeg_exercise},
    {"libgmp.so.10", "libgmp10", gmp_exercise},
    {"libssl.so.3", "libssl3", openssl_exercise},
    {"libsodium.so.23", "libsodium23", sodium_exercise},
    {"libpcre2-8.so.0", "libpcre2-8-0", pcre2_exercise},
    {"libre2.so.9", "libre2-9", re2_exercise},
    {"libuv.so.1", "libuv1", uv_exercise},
    {"libffi.so.8", "libffi8", ffi_exercise},
    {"libarchive.so.13", "libarchive13", archive_exercise},
};

/// What the runs found, for the summary.
struct tally {
  int installed = 0, compared = 0, identical = 0;
  std::vector<std::string> skipped, differ;
};
tally seen;

bool passed_so_far() {
  namespace ut = boost::unit_test;
  return ut::results_collector.results(ut::framework::current_test_case().p_id).p_assertions_failed.get() == 0u;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image_real)

BOOST_DATA_TEST_CASE(each_library_behaves_as_under_dlopen, boost::unit_test::data::xrange(std::size(exercises)), i) {
  const exercise& e = exercises[i];
  const std::string path = debian_library(e.file);
  if (path.empty()) {
    BOOST_TEST_MESSAGE(e.file << " skipped: not installed (Debian's " << e.package << ")");
    seen.skipped.push_back(e.file);
    return;
  }
  ++seen.installed;
  BOOST_TEST_MESSAGE(e.file << ": " << path);
  std::vector<std::string> images, oracle;
  const bool run_images = ln::images_supported() && !under_mapping_sanitizer;
  if (!run_images)
    BOOST_TEST_MESSAGE(e.file << ": no image runs ("
                              << (!ln::images_supported()
                                      ? "this host cannot load images"
                                      : "the address and thread sanitizers: their checks do not see inside images, "
                                        "and under ASan libyaml's and libffi's images pass the sanitizer's heap "
                                        "to glibc's free")
                              << ")");
  // Counted for the summary as failed until the test case ends well: a
  // failed requirement unwinds through the destructor, a signal (caught by
  // Boost.Test with a long jump) skips it.
  struct outcome {
    bool counted;
    outcome(const char* file, bool images) : counted(images) {
      if (counted) ++seen.compared, seen.differ.push_back(file);
    }
    ~outcome() {
      if (counted && passed_so_far()) seen.differ.pop_back(), ++seen.identical;
    }
  } counted{e.file, run_images};
  // Images first: a NODELETE library dlopen leaves behind (OpenSSL) would
  // otherwise stand in for the set's own copy.
  for (int cycle = 0; cycle < 3 && run_images; ++cycle) {
    BOOST_TEST_CONTEXT(e.file << ", as images, cycle " << cycle + 1) {
      vitte::diagnostic why;
      vitte::diagnostic_list diag;
      auto set = ln::image_set::load(path, {}, &why, &diag);
      BOOST_REQUIRE_MESSAGE(set.has_value(), "image_set::load " << path << ": " << set.error() << ": "
                                                                << why.format().c_str() << "\n"
                                                                << diag.joined().c_str());
      if (cycle == 0) {
        std::string members;
        for (std::size_t k = 0; k < set->size(); ++k)
          members += " " + std::string(set->path(k).data(), set->path(k).size());
        BOOST_TEST_MESSAGE(e.file << ": " << set->size() << " images:" << members);
      }
      lookup l{[&](const char* name) { return set->symbol(name); }, "image"};
      std::string t;
      e.run(l, t);
      set->close();
      images.push_back(t);
    }
  }
#if VITTE_HAS_DYNAMIC_LIBRARIES
  for (int cycle = 0; cycle < 3; ++cycle) {
    BOOST_TEST_CONTEXT(e.file << ", dlopen, cycle " << cycle + 1) {
      vitte::diagnostic d;
      auto lib = sys::library::open(path, sys::library_flags::now, &d);
      BOOST_REQUIRE_MESSAGE(lib.has_value(), "dlopen " << path << ": " << d.format().c_str());
      lookup l{[&](const char* name) {
                 auto p = lib->symbol(name);
                 return p ? *p : nullptr;
               },
               "dlopen"};
      std::string t;
      e.run(l, t);
      BOOST_TEST(lib->close().has_value());
      oracle.push_back(t);
    }
  }
#endif
  for (const std::string& t : oracle) BOOST_TEST(t == oracle.front(), e.file << ": dlopen cycles differ");
  const std::vector<std::string>& reference = oracle.empty() ? images : oracle;
  for (const std::string& t : images) BOOST_TEST(t == reference.front(), e.file << ": the image transcript differs");
  if (!reference.empty()) BOOST_TEST_MESSAGE(e.file << " transcript: " << reference.front());
}

BOOST_AUTO_TEST_CASE(summary) {
  std::string skipped, differ;
  for (const std::string& s : seen.skipped) skipped += " " + s;
  for (const std::string& s : seen.differ) differ += " " + s;
  BOOST_TEST_MESSAGE(seen.identical << " of " << seen.compared << " libraries run as images behaved "
                                    << (VITTE_HAS_DYNAMIC_LIBRARIES
                                            ? "as under dlopen"
                                            : "alike in their three cycles (a static host: no dlopen)")
                                    << " (" << seen.installed << " of " << std::size(exercises) << " installed"
                                    << (skipped.empty() ? "" : "; not installed:" + skipped)
                                    << (differ.empty() ? "" : "; failed or differ:" + differ) << ")");
  // The unloaded libraries left nothing behind that a fork would run: their
  // pthread_atfork handlers (libuv's) went with them.
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) ::_exit(0);
  int status = 0;
  BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
