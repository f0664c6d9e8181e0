// The tool's one option parser (tools/cli.hpp, cli::parse_args) against an
// option table: options by name with their values (`--name=value` split),
// repeated options in order, flags, --json taken out, operands, what follows
// `--`, options that end at the first operand (`vitte run`), and the
// refusals with the reasons the tool prints.
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include "../../tools/cli.hpp"

namespace {

int nothing(const cli::parsed&, const cli::context&) { return 0; }

constexpr cli::option table[] = {
    {"-p", "<dir>", "a directory"},
    {"--name", "<name>", "a name"},
    {"--run", nullptr, "a flag"},
    cli::json_option,
};
const cli::command plain{"test", "<operands>", "a command", table, nothing};
const cli::command passes{"test", "<operands> [-- args]", "a command", table, nothing, false, true};
const cli::command ends{"test", "<prog> [args...]", "a command", table, nothing, true};

cli::parsed parse(const cli::command& c, cli::args in, cli::context* ctx = nullptr) {
  cli::context local;
  return cli::parse_args(c, in, ctx != nullptr ? *ctx : local);
}

std::string str(vitte::text_view v) { return std::string(v.data(), v.size()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_args)

BOOST_AUTO_TEST_CASE(options_by_name_operands_and_flags) {
  cli::context ctx;
  const cli::parsed p = parse(plain, {"a", "-p", "one", "--name=x", "b", "--run", "-p", "two", "--json"}, &ctx);
  BOOST_TEST((p.outcome == cli::verdict::run));
  BOOST_TEST(ctx.json);
  BOOST_TEST(!p.has("--json"));  // taken out: the context says it
  BOOST_TEST(p.has("--run"));
  BOOST_TEST(str(p.get("--name")) == "x");
  BOOST_TEST(str(p.get("--missing", "fallback")) == "fallback");
  BOOST_TEST((p.all("-p") == cli::args{"one", "two"}));
  BOOST_TEST(str(p.get("-p")) == "two");  // the last one
  BOOST_TEST((p.operands == cli::args{"a", "b"}));
  BOOST_TEST(p.after_dashes.empty());
  BOOST_TEST(p.options.size() == 4u);  // in the order given
  BOOST_TEST(p.options[0].first == "-p");
  BOOST_TEST(p.options[2].first == "--run");
}

BOOST_AUTO_TEST_CASE(a_dash_and_a_digit_is_an_operand_and_a_value_may_start_with_a_dash) {
  const cli::parsed p = parse(plain, {"-5", "-", "--name", "-x"});
  BOOST_TEST((p.operands == cli::args{"-5", "-"}));
  BOOST_TEST(str(p.get("--name")) == "-x");
}

BOOST_AUTO_TEST_CASE(dashes_end_the_options) {
  const cli::parsed a = parse(plain, {"x", "--", "--run", "y"});
  BOOST_TEST((a.operands == cli::args{"x", "--run", "y"}));
  BOOST_TEST(!a.has("--run"));
  const cli::parsed b = parse(passes, {"x", "--run", "--", "-Dtests=disabled", "--run"});
  BOOST_TEST((b.operands == cli::args{"x"}));
  BOOST_TEST((b.after_dashes == cli::args{"-Dtests=disabled", "--run"}));
  BOOST_TEST(b.has("--run"));
}

BOOST_AUTO_TEST_CASE(options_can_end_at_the_first_operand) {
  const cli::parsed p = parse(ends, {"--run", "prog.wasm", "--help", "--", "-p"});
  BOOST_TEST((p.outcome == cli::verdict::run));
  BOOST_TEST((p.operands == cli::args{"prog.wasm", "--help", "--", "-p"}));
  BOOST_TEST(!p.has("-p"));
  const cli::parsed q = parse(ends, {"--", "--run", "a"});
  BOOST_TEST((q.operands == cli::args{"--run", "a"}));
}

BOOST_AUTO_TEST_CASE(help_anywhere_among_the_options) {
  BOOST_TEST((parse(plain, {"a", "-h"}).outcome == cli::verdict::help));
  BOOST_TEST((parse(plain, {"--help", "--bogus"}).outcome == cli::verdict::help));
  BOOST_TEST((parse(plain, {"--", "--help"}).outcome == cli::verdict::run));
}

BOOST_AUTO_TEST_CASE(refusals_say_why) {
  const auto why = [](cli::args in) {
    const cli::parsed p = parse(plain, in);
    BOOST_TEST((p.outcome == cli::verdict::bad));
    return p.why;
  };
  BOOST_TEST(why({"--bogus"}) == "unknown option '--bogus'");
  BOOST_TEST(why({"--bogus=1"}) == "unknown option '--bogus'");
  BOOST_TEST(why({"--run=yes"}) == "--run takes no value");
  BOOST_TEST(why({"a", "--name"}) == "--name needs <name>");
  BOOST_TEST(why({"--bogus", "-h"}) == "unknown option '--bogus'");  // the first problem wins
}

BOOST_AUTO_TEST_SUITE_END()
