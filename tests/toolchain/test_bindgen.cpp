// The declaration reader of vitte bindgen on preprocessed text (as `cc -E
// -dD` writes it): each declaration form in the model, the faults at the
// header's file:line:column, the signature spellings, the regular
// expressions of --allow and --block, and read_c_declarations with the
// system compiler's probe when one is installed. tests/toolchain/bindgen_test.py
// compiles and runs bindings of real libraries.
#include <vitte/loader/detail/type_signature.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/bindgen.hpp>

#include <string>

#include <boost/test/unit_test.hpp>

namespace toolchain = vitte::toolchain;
using vitte::text_view;

namespace {

/// The declaration called `name`: a record's or enum's definition rather
/// than a forward declaration of it.
const toolchain::c_declaration* find(const toolchain::c_declarations& d, text_view name) {
  const toolchain::c_declaration* found = nullptr;
  for (const auto& x : d.decls)
    if (x.name == name && (found == nullptr || x.defined)) found = &x;
  return found;
}

constexpr text_view header =
    "# 1 \"demo.h\"\n"
    "#define DEMO_COUNT 4\n"
    "#define DEMO_MASK (DEMO_COUNT << 2 | 1u)\n"
    "#define DEMO_TEXT \"text\"\n"
    "#define DEMO_CALL(x) ((x) + 1)\n"
    "typedef unsigned long size_t;\n"
    "typedef int (*demo_cb)(void* ctx, const char* name, ...);\n"
    "struct demo {\n"
    "  unsigned a : 3, b : 5;\n"
    "  union { int i; float f; };\n"
    "  struct { int kind; } header;\n"
    "  demo_cb on_event;\n"
    "  void (*on_close)(struct demo* self);\n"
    "  const volatile unsigned* status;\n"
    "  char data[];\n"
    "} __attribute__((packed));\n"
    "#pragma pack(push, 2)\n"
    "struct two { char c; int i; };\n"
    "#pragma pack(pop)\n"
    "typedef struct { int x, y; } point;\n"
    "enum mode { MODE_A = 1, MODE_B = MODE_A << 4 };\n"
    "extern int demo_sum(const int values[], int count) __attribute__((nonnull(1)));\n"
    "extern int demo_printf(const char* format, ...);\n"
    "extern long (demo_renamed)(long x) __asm__(\"\" \"demo_renamed_v2\");\n"
    "extern volatile int demo_counter;\n"
    "extern const char demo_name[16];\n"
    "static inline int demo_inline(int x) { return x + 1; }\n"
    "extern void demo_va(__builtin_va_list args);\n"
    "size_t demo_size(point p, enum mode m);\n";

}  // namespace

BOOST_AUTO_TEST_CASE(declaration_forms) {
  vitte::diagnostic why;
  auto d = toolchain::parse_c_declarations(header, &why);
  BOOST_TEST_REQUIRE(static_cast<bool>(d), why.format().c_str());
  const auto* demo = find(*d, "demo");
  BOOST_TEST_REQUIRE(demo != nullptr);
  BOOST_TEST(demo->defined);
  BOOST_TEST(demo->packed);
  BOOST_TEST(demo->file == "demo.h");
  BOOST_TEST(demo->line == 7u);
  BOOST_TEST_REQUIRE(demo->fields.size() == 8u);
  BOOST_TEST(demo->fields[0].bitfield);
  BOOST_TEST(demo->fields[0].bits == 3u);
  BOOST_TEST(demo->fields[1].bits == 5u);
  BOOST_TEST(demo->fields[2].name.empty());  // the anonymous union
  BOOST_TEST(d->types[demo->fields[2].type].is_union);
  BOOST_TEST(demo->fields[3].name == "header");
  const auto& flexible = d->types[demo->fields[7].type];
  BOOST_TEST((flexible.kind == toolchain::c_type_kind::array && flexible.unbounded));
  const auto& status = d->types[demo->fields[6].type];
  BOOST_TEST((status.kind == toolchain::c_type_kind::pointer && d->types[status.of].is_const &&
              d->types[status.of].is_volatile));
  const auto* close_field = &demo->fields[5];
  const auto& close_type = d->types[close_field->type];
  BOOST_TEST((close_type.kind == toolchain::c_type_kind::pointer &&
              d->types[close_type.of].kind == toolchain::c_type_kind::function));

  const auto* two = find(*d, "two");
  BOOST_TEST_REQUIRE(two != nullptr);
  BOOST_TEST(two->pack == 2u);
  const auto* point = find(*d, "point");
  BOOST_TEST_REQUIRE(point != nullptr);
  BOOST_TEST((point->kind == toolchain::c_kind::record && point->tagless));
  const auto* mode = find(*d, "mode");
  BOOST_TEST_REQUIRE(mode != nullptr);
  BOOST_TEST(mode->enumerators.size() == 2u);

  const auto* printf_like = find(*d, "demo_printf");
  BOOST_TEST_REQUIRE(printf_like != nullptr);
  BOOST_TEST(d->types[printf_like->type].variadic);
  const auto* renamed = find(*d, "demo_renamed");
  BOOST_TEST_REQUIRE(renamed != nullptr);
  BOOST_TEST(renamed->symbol == "demo_renamed_v2");
  BOOST_TEST(find(*d, "demo_inline")->refused == "static inline: defined in the header");
  BOOST_TEST(find(*d, "demo_va")->refused == "takes a va_list");
  BOOST_TEST((find(*d, "demo_name")->kind == toolchain::c_kind::variable));
  BOOST_TEST(d->types[find(*d, "demo_name")->type].extent == 16u);

  BOOST_TEST((find(*d, "DEMO_COUNT")->kind == toolchain::c_kind::constant));
  BOOST_TEST(find(*d, "DEMO_MASK")->expression == "(DEMO_COUNT << 2 | 1u)");
  BOOST_TEST(find(*d, "DEMO_TEXT") == nullptr);  // not an integer
  BOOST_TEST(find(*d, "DEMO_CALL") == nullptr);  // function-like
}

BOOST_AUTO_TEST_CASE(signature_spellings_are_the_hashes_of_the_generated_types) {
  auto d = toolchain::parse_c_declarations(header).value();
  for (auto& x : d.decls)
    if (x.name == "mode" && x.defined) x.underlying = "unsigned int";  // what the probe says
  auto spelled = [&](text_view name) { return toolchain::signature_spelling(d, find(d, name)->type, "demo"); };
  BOOST_TEST(spelled("demo_sum") == "FI4PKI4I4E");  // an array parameter is a pointer
  BOOST_TEST(spelled("demo_printf") == "FI4PKczE");
  BOOST_TEST(spelled("demo_renamed") == "FI8I8E");
  BOOST_TEST(spelled("demo_counter") == "I4");  // an object's own cv is not part of it
  BOOST_TEST(spelled("demo_name") == "A61_c");  // the extent's digits as type_signature writes them
  BOOST_TEST(spelled("demo_size") == "FU8Ndemo::pointNdemo::mode:U4E");
  vitte::diagnostic why;
  BOOST_TEST(toolchain::signature_spelling(d, find(d, "demo_va")->type, "demo", &why).empty());
  BOOST_TEST(why.message() == "a va_list");
  BOOST_TEST((why.kind() == vitte::errc::not_supported));
  BOOST_TEST(vitte::loader::signature_hash<int(const int*, int)> == vitte::loader::signature_hash_of("FI4PKI4I4E"));
  BOOST_TEST(vitte::loader::signature_hash<char[16]> == vitte::loader::signature_hash_of("A61_c"));
}

BOOST_AUTO_TEST_CASE(faults_are_placed_at_the_headers_line_and_column) {
  struct bad {
    text_view source, message;
    std::uint32_t line, column;
  };
  const bad cases[] = {
      {"# 1 \"a.h\"\nint f(int x)\nint g(void);\n", "expected ';' before 'int'", 2, 1},
      {"# 10 \"b.h\"\nstruct s { int a; \n", "'{' of struct never closed", 10, 8},
      {"# 3 \"c.h\"\n  unknown_t x;\n", "unknown type name 'unknown_t'", 3, 3},
      {"# 1 \"d.h\"\nint a[3;\n", "'[' never closed", 1, 0},
      {"# 1 \"e.h\"\nchar* s = \"open;\n", "string not closed on its line", 1, 11},
      {"# 1 \"f.h\"\nstruct t { int a : x; };\n", "bitfield width is not a constant this reader evaluates", 1, 20},
  };
  for (const bad& b : cases) {
    vitte::diagnostic why;
    auto d = toolchain::parse_c_declarations(b.source, &why);
    BOOST_TEST_REQUIRE(!d);
    BOOST_TEST((d.error() == vitte::errc::malformed));
    BOOST_TEST(why.message() == b.message, why.format().c_str());
    if (b.line != 1 || b.column != 0) {
      BOOST_TEST(why.line() == b.line, why.format().c_str());
      BOOST_TEST(why.column() == b.column, why.format().c_str());
    }
  }
  vitte::diagnostic why;
  (void)toolchain::parse_c_declarations("# 5 \"/usr/include/x.h\"\nint f(int x)\nint g(void);\n", &why);
  BOOST_TEST(std::string(why.format().c_str()) == "/usr/include/x.h:6:1: expected ';' before 'int'");
}

BOOST_AUTO_TEST_CASE(regular_expressions_match_whole_names) {
  BOOST_TEST(toolchain::regex_match("curl_.*", "curl_easy_init"));
  BOOST_TEST(!toolchain::regex_match("curl_", "curl_easy_init"));
  BOOST_TEST(toolchain::regex_match("curl_.*|CURL.*", "CURLOPT_URL"));
  BOOST_TEST(toolchain::regex_match("^sqlite3_(open|close)(_v2)?$", "sqlite3_open_v2"));
  BOOST_TEST(!toolchain::regex_match("sqlite3_(open|close)(_v2)?", "sqlite3_opened"));
  BOOST_TEST(toolchain::regex_match("[a-z_]+[0-9]", "lua_state5"));
  BOOST_TEST(!toolchain::regex_match("[^a-z]+", "abc"));
  BOOST_TEST(toolchain::regex_match("a\\.b", "a.b"));
  BOOST_TEST(!toolchain::regex_match("a\\.b", "axb"));
  BOOST_TEST(toolchain::regex_match("(a*)*b", "aaaaaaaaaaaaaaaaaaaab"));
  for (text_view broken : {"(a", "a)", "[ab", "*a", "a|*"}) {
    bool bad = false;
    BOOST_TEST(!toolchain::regex_match(broken, "a", &bad));
    BOOST_TEST(bad, broken.data());
  }
}

BOOST_AUTO_TEST_CASE(the_compilers_probe_reports_layouts) {
  namespace sys = vitte::sys;
  if (!sys::command("cc").arg("--version").output()) return;  // no C compiler here
  auto dir = sys::temp_directory::create().value();
  const vitte::text h = sys::path_join(dir.path(), "probe_me.h");
  sys::write_file(h,
                  "#include <stdint.h>\n#define ANSWER (6 * 7)\n#define BIG 0x100000000ULL\n"
                  "struct s { char c; int64_t i; uint8_t tail[3]; };\n"
                  "enum e { E_NEG = -1, E_POS = 1 };\nint use(struct s* x, enum e y);\n")
      .value();
  toolchain::bindgen_options o;
  o.headers.push_back(h);
  vitte::diagnostic why;
  auto d = toolchain::read_c_declarations(o, &why);
  BOOST_TEST_REQUIRE(static_cast<bool>(d), why.format().c_str());
  const auto* s = find(*d, "s");
  BOOST_TEST_REQUIRE(s != nullptr);
  BOOST_TEST(s->laid_out);
  BOOST_TEST(s->size == 24u);
  BOOST_TEST(s->align == 8u);
  BOOST_TEST(s->fields[1].offset == 8u);
  BOOST_TEST(s->fields[2].offset == 16u);
  BOOST_TEST(find(*d, "e")->underlying == "int");
  BOOST_TEST(find(*d, "e")->enumerators[0].negative);
  BOOST_TEST(find(*d, "ANSWER")->value == 42u);
  BOOST_TEST(find(*d, "ANSWER")->underlying == "int");
  BOOST_TEST(find(*d, "BIG")->underlying == "unsigned long long");
  o.module = "probe";
  auto out = toolchain::write_bindings(*d, o, &why);
  BOOST_TEST_REQUIRE(static_cast<bool>(out), why.format().c_str());
  const std::string hpp(out->view());
  BOOST_TEST(hpp.find("static_assert(sizeof(s) == 24 && alignof(s) == 8") != std::string::npos);
  BOOST_TEST(hpp.find("static_assert(__builtin_offsetof(s, tail) == 16") != std::string::npos);
  BOOST_TEST(hpp.find("inline constexpr int ANSWER = static_cast<int>(42ULL);") != std::string::npos);
  BOOST_TEST(hpp.find("\"FI4PNprobe::sNprobe::e:I4E\"") != std::string::npos);
  o.allow.push_back("(");
  BOOST_TEST(!toolchain::write_bindings(*d, o, &why));
  BOOST_TEST(why.message() == "malformed regular expression: (");
}
