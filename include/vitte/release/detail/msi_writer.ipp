// vitte/release/detail/msi_writer.ipp - msi_write() and msi_write_tree():
// a file tree as a Windows Installer database (msi.hpp says what it
// holds): the string pool, each table as a column-major stream with its
// rows sorted by key, the summary information property set, and the
// cabinet of the files, all in one compound file. The cabinet's blocks are
// made first, as the files are read, and set aside; the compound file is
// then written with the cabinet read back as its last stream.
#ifndef VITTE_RELEASE_DETAIL_MSI_WRITER_IPP
#define VITTE_RELEASE_DETAIL_MSI_WRITER_IPP

#include <vitte/archive/tar.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>    // bytes_of
#include <vitte/base/detail/decimal.hpp>  // version numbers
#include <vitte/base/detail/endian.hpp>   // load_le / store_le
#include <vitte/base/detail/hex.hpp>      // GUIDs
#include <vitte/base/detail/utf8.hpp>     // names from untrusted packages
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/release/detail/cab.hpp>
#include <vitte/release/detail/cfb.hpp>
#include <vitte/release/detail/failure.hpp>  // pass_on
#include <vitte/release/detail/msi.hpp>
#include <vitte/release/detail/msi_names.ipp>  // short_names
#include <vitte/release/detail/msi_schema.hpp>
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/package_sink.hpp>  // the package and its cabinet as they are made
#include <vitte/release/detail/package_tree.hpp>  // the tree as listed
#include <vitte/release/detail/sha256_hex.hpp>    // sha256_hex
#include <vitte/release/operations.hpp>           // ops::package
#include <vitte/sys/file.hpp>                     // files read in pieces

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace vitte::release::detail {
namespace msi {

// --- Writing the database ---------------------------------------------

// The strings of the database, numbered from 1 in the order first used,
// with their reference counts.
struct string_pool {
  std::vector<std::string> strings;
  std::vector<std::uint32_t> refs;
  std::unordered_map<std::string, std::uint32_t> ids;

  std::uint32_t id(text_view s) {
    if (s.empty()) return 0;
    auto [it, fresh] = ids.try_emplace(std::string(s), static_cast<std::uint32_t>(strings.size() + 1));
    if (fresh) {
      strings.emplace_back(s.data(), s.size());
      refs.push_back(0);
    }
    ++refs[it->second - 1];
    return it->second;
  }
  std::size_t string_ref() const { return strings.size() + 1 > 0xFFFF ? 3 : 2; }
};

// A table being written: its cells, row after row, as stored (string
// indexes, integers with their offset, 0 for null).
struct table {
  text_view name;
  span<const column> columns;
  std::vector<std::uint32_t> cells;
};

VITTE_DECL std::uint32_t short_value(int v) { return static_cast<std::uint32_t>(v + 0x8000); }
VITTE_DECL std::uint32_t long_value(std::int64_t v) { return static_cast<std::uint32_t>(v + 0x80000000LL); }

// The stream of a table: rows sorted by their key, then column by column.
VITTE_DECL std::vector<std::byte> table_stream(const table& t, std::size_t string_ref) {
  const std::size_t cols = t.columns.size(), rows = t.cells.size() / cols;
  std::vector<std::size_t> order(rows);
  for (std::size_t r = 0; r < rows; ++r) order[r] = r;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    for (std::size_t c = 0; c < cols; ++c) {
      if ((t.columns[c].type & key) == 0) continue;
      const std::uint32_t x = t.cells[a * cols + c], y = t.cells[b * cols + c];
      if (x != y) return x < y;
    }
    return a < b;
  });
  std::vector<std::byte> out;
  for (std::size_t c = 0; c < cols; ++c) {
    const std::size_t w = width_of(t.columns[c].type, string_ref);
    for (const std::size_t r : order) {
      std::byte cell[4];
      vitte::detail::store_le<std::uint32_t>(cell, t.cells[r * cols + c]);
      out.insert(out.end(), cell, cell + w);
    }
  }
  return out;
}

// The "\005SummaryInformation" property set: properties in id order.
struct summary_property {
  std::uint32_t id, type;  // VT_I2 2, VT_I4 3, VT_LPSTR 30, VT_FILETIME 64
  std::string text;
  std::uint64_t value;
};
VITTE_DECL std::vector<std::byte> summary_stream(const std::vector<summary_property>& props) {
  using vitte::detail::store_le;
  std::vector<std::byte> body;  // the properties' values
  std::vector<std::uint32_t> offsets;
  const std::size_t table_bytes = 8 + 8 * props.size();
  for (const summary_property& p : props) {
    offsets.push_back(static_cast<std::uint32_t>(table_bytes + body.size()));
    std::byte v[12] = {};
    store_le<std::uint32_t>(v, p.type);
    if (p.type == 30) {
      store_le<std::uint32_t>(v + 4, static_cast<std::uint32_t>(p.text.size() + 1));
      body.insert(body.end(), v, v + 8);
      const auto* s = reinterpret_cast<const std::byte*>(p.text.data());
      body.insert(body.end(), s, s + p.text.size());
      body.resize(body.size() + 1 + (4 - (p.text.size() + 1) % 4) % 4);
    } else if (p.type == 64) {
      store_le<std::uint64_t>(v + 4, p.value);
      body.insert(body.end(), v, v + 12);
    } else {
      store_le<std::uint32_t>(v + 4, static_cast<std::uint32_t>(p.value));
      body.insert(body.end(), v, v + 8);
    }
  }
  // FMTID_SummaryInformation {F29F85E0-4FF9-1068-AB91-08002B27B3D9}
  static constexpr std::uint8_t fmtid[16] = {0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10,
                                             0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9};
  std::vector<std::byte> out(48 + table_bytes);
  store_le<std::uint16_t>(out.data(), 0xFFFE);
  store_le<std::uint32_t>(out.data() + 4, 0x00020005);  // OS version, as msitools writes it
  store_le<std::uint32_t>(out.data() + 24, 1);          // one section
  std::memcpy(out.data() + 28, fmtid, 16);
  store_le<std::uint32_t>(out.data() + 44, 48);
  store_le<std::uint32_t>(out.data() + 48, static_cast<std::uint32_t>(table_bytes + body.size()));
  store_le<std::uint32_t>(out.data() + 52, static_cast<std::uint32_t>(props.size()));
  for (std::size_t i = 0; i < props.size(); ++i) {
    store_le<std::uint32_t>(out.data() + 56 + 8 * i, props[i].id);
    store_le<std::uint32_t>(out.data() + 60 + 8 * i, offsets[i]);
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// One entry of the tree being packaged.
struct node {
  std::string path, name;
  std::size_t parent = 0;  // a directory's index
  bool directory = false;
  std::uint64_t size = 0;
  span<const std::byte> data;  // in memory (msi_write), or
  std::string source;          // read from here in pieces (msi_write_tree)
};

// The tree being packaged: its directories (0 is the install directory,
// named `top`) and files, in the order given, each checked as it comes.
struct tree {
  std::vector<node> dirs, files;
  std::unordered_map<std::string, std::size_t> dir_index = {{"", 0}};
  std::unordered_set<std::string> seen;  // paths in upper case: Windows ignores case
  explicit tree(text_view top) {
    dirs.assign(1, node());
    dirs[0].directory = true;
    dirs[0].name = std::string(top.data(), top.size());
  }
};

// Adds the entry at `path` (a file's bytes `data`, or `size` bytes read
// from `source`); false with `why` set when Windows Installer cannot hold it.
VITTE_DECL bool add_entry(tree& t, std::string path, archive::entry_type type, std::uint64_t size,
                          span<const std::byte> data, text_view source, vitte::diagnostic& why) {
  const auto fail = [&](errc kind, const char* what, text_view entry) {
    why.clear();
    why.of(kind).about(entry).say(what);
    return false;
  };
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (type == archive::entry_type::symlink)
    return fail(errc::not_supported, "Windows Installer has no symbolic links", path);
  if (type != archive::entry_type::file && type != archive::entry_type::directory)
    return fail(errc::not_supported, "an entry that is neither a file nor a directory", path);
  const std::size_t slash = path.rfind('/');
  const std::string parent = slash == std::string::npos ? std::string() : path.substr(0, slash);
  node n;
  n.name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (!windows_name_ok(n.name))
    return fail(errc::invalid_argument, "a name Windows cannot hold (empty, \\/:*?\"<>|, a trailing dot or space)",
                path);
  const auto p = t.dir_index.find(parent);
  if (p == t.dir_index.end())
    return fail(errc::invalid_argument, "an entry before its directory (list each directory before its contents)",
                path);
  if (!t.seen.insert(upper_of(path)).second)
    return fail(errc::invalid_argument, "two entries whose paths differ only in case", path);
  n.parent = p->second;
  n.path = path;
  n.directory = type == archive::entry_type::directory;
  if (n.directory) {
    t.dir_index.emplace(path, t.dirs.size());
    t.dirs.push_back(static_cast<node&&>(n));
    return true;
  }
  if (size > cab_folder_max) return fail(errc::limit_exceeded, cab_file_too_large, path);
  n.size = size;
  n.data = data;
  n.source = std::string(source);
  t.files.push_back(static_cast<node&&>(n));
  return true;
}

// The counts a package can hold; false with `why` set.
VITTE_DECL bool tree_fits(const tree& t, vitte::diagnostic& why) {
  const char* what = t.files.size() > 0xFFFF  ? "more than 65535 files in one cabinet"
                     : t.dirs.size() > 0xFFFF ? "more than 65535 directories"
                                              : nullptr;
  if (what == nullptr) return true;
  why.clear();
  why.of(errc::limit_exceeded).say(what);
  return false;
}

// The tree of `tar`, each entry checked; false with `why` set.
VITTE_DECL bool read_tree(span<const std::byte> tar, tree& t, vitte::diagnostic& why) {
  archive::tar_reader r(tar);
  for (;;) {
    result<const archive::entry*> e = r.next();
    if (!e) {  // the tar reader's diagnostic: its entry and message
      why = r.failure();
      why.of(e.error().kind());
      return false;
    }
    if (*e == nullptr) break;
    const std::string path((*e)->path.view().data(), (*e)->path.view().size());
    const span<const std::byte> data = (*e)->type == archive::entry_type::file ? r.data() : span<const std::byte>();
    if (!add_entry(t, path, (*e)->type, (*e)->size, data, {}, why)) return false;
  }
  return tree_fits(t, why);
}

}  // namespace msi

namespace msi {

// The fields Windows Installer refuses, refused with their values; false
// with `why` set.
VITTE_DECL bool check_fields(const msi_fields& f, vitte::diagnostic& why) {
  const auto fail = [&](errc kind, const char* what, text_view value) {
    why.clear();
    why.of(kind).about(value).say(what);
    return false;
  };

  // The fields.
  if (!msi::windows_name_ok(f.name))
    return fail(errc::invalid_argument,
                "a product name is a Windows folder name (no \\/:*?\"<>| or control characters)", f.name);
  {
    const text_view v = f.version;
    const std::size_t a = v.find('.'), b = a == text_view::npos ? a : v.find('.', a + 1);
    std::uint64_t major = 0, minor = 0, build = 0;
    if (b == text_view::npos || !vitte::detail::parse_decimal(v.substr(0, a), 255, major) ||
        !vitte::detail::parse_decimal(v.substr(a + 1, b - a - 1), 255, minor) ||
        !vitte::detail::parse_decimal(v.substr(b + 1), 65535, build))
      return fail(errc::invalid_argument,
                  "a Windows Installer version is a.b.c: numbers, major and minor at most 255, build at most 65535",
                  f.version);
  }
  const bool x64 = f.arch == "x64", arm64 = f.arch == "Arm64";
  if (!x64 && !arm64 && f.arch != "Intel")
    return fail(errc::invalid_argument, "an architecture is \"x64\", \"Intel\" or \"Arm64\"", f.arch);
  if (!f.product_code.empty() && !msi::guid_ok(f.product_code))
    return fail(errc::invalid_argument, "a product code is {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} in upper case",
                f.product_code);
  if (!f.upgrade_code.empty() && !msi::guid_ok(f.upgrade_code))
    return fail(errc::invalid_argument, "an upgrade code is {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} in upper case",
                f.upgrade_code);
  if (!vitte::detail::valid_utf8(std::string_view(f.manufacturer.data(), f.manufacturer.size())) ||
      !vitte::detail::valid_utf8(std::string_view(f.description.data(), f.description.size())) ||
      f.manufacturer.size() > 255 || f.description.size() > 4096)
    return fail(errc::invalid_argument, "a manufacturer (255 bytes) or description (4096) that is not UTF-8 text",
                f.manufacturer);
  return true;
}

VITTE_DECL bool write_package(const msi_fields& f, const tree& t, archive_sink& out, set_aside& cab_data,
                              std::vector<package_entry>& installs, vitte::diagnostic& why) {
  const auto fail = [&](errc kind, const char* what, text_view value) {
    why.clear();
    why.of(kind).about(value).say(what);
    return false;
  };
  const bool x64 = f.arch == "x64", arm64 = f.arch == "Arm64";
  const std::string product = f.product_code.empty() ? msi::guid_of({"vitte.msi product", f.name, f.version})
                                                     : std::string(f.product_code.data(), f.product_code.size());
  const std::string upgrade = f.upgrade_code.empty() ? msi::guid_of({"vitte.msi upgrade", f.name})
                                                     : std::string(f.upgrade_code.data(), f.upgrade_code.size());
  // Directories (0 is INSTALLDIR) and files, in the tree's order.
  const std::vector<msi::node>& dirs = t.dirs;
  const std::vector<msi::node>& files = t.files;
  bool ascii = true;
  for (const auto* list : {&dirs, &files})
    for (const msi::node& n : *list)
      for (const char c : n.path) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  for (const text_view t : {f.name, f.manufacturer, f.description})
    for (const char c : t) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  const int codepage = ascii ? 1252 : 65001;

  // Keys and short names.
  std::vector<msi::short_names> shorts(dirs.size());
  std::vector<std::string> dir_keys(dirs.size()), dir_fields(dirs.size());
  dir_keys[0] = "INSTALLDIR";
  msi::short_names top;
  dir_fields[0] = top.field(dirs[0].name);
  for (std::size_t i = 1; i < dirs.size(); ++i) {
    dir_keys[i] = "d" + std::to_string(i);
    dir_fields[i] = shorts[dirs[i].parent].field(dirs[i].name);
  }
  std::vector<std::string> file_fields(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) file_fields[i] = shorts[files[i].parent].field(files[i].name);

  // The tables. Strings get their numbers in the order first used.
  msi::string_pool pool;
  std::vector<msi::table> tables;
  const auto add_table = [&](text_view name, span<const msi::column> columns) -> msi::table& {
    tables.push_back({name, columns, {}});
    return tables.back();
  };
  const auto str = [&](text_view s) { return pool.id(s); };
  {
    msi::table& t = add_table("Property", msi::property_columns);
    const std::string manufacturer(f.manufacturer.empty() ? text_view("unknown") : f.manufacturer);
    const std::pair<text_view, text_view> rows[] = {
        {"ALLUSERS", "1"},
        {"Manufacturer", manufacturer},
        {"ProductCode", product},
        {"ProductLanguage", "1033"},
        {"ProductName", f.name},
        {"ProductVersion", f.version},
        {"SecureCustomProperties", "NEWER_VERSION_FOUND;OLDER_VERSION_FOUND"},
        {"UpgradeCode", upgrade}};
    for (const auto& [k, v] : rows) t.cells.insert(t.cells.end(), {str(k), str(v)});
  }
  {
    msi::table& t = add_table("Upgrade", msi::upgrade_columns);
    t.cells.insert(t.cells.end(), {str(upgrade), 0, str(f.version), 0, msi::long_value(msi::upgrade_migrate_features),
                                   0, str(msi::older_found)});
    t.cells.insert(t.cells.end(), {str(upgrade), str(f.version), 0, 0,
                                   msi::long_value(msi::upgrade_only_detect | msi::upgrade_version_min_inclusive), 0,
                                   str(msi::newer_found)});
    msi::table& l = add_table("LaunchCondition", msi::launch_condition_columns);
    l.cells.insert(l.cells.end(), {str("NOT NEWER_VERSION_FOUND"),
                                   str("This or a newer version of [ProductName] is already installed.")});
  }
  {
    msi::table& t = add_table("Directory", msi::directory_columns);
    t.cells.insert(t.cells.end(), {str("TARGETDIR"), 0, str("SourceDir")});
    const text_view program_files = x64 || arm64 ? "ProgramFiles64Folder" : "ProgramFilesFolder";
    t.cells.insert(t.cells.end(), {str(program_files), str("TARGETDIR"), str(".")});
    t.cells.insert(t.cells.end(), {str(dir_keys[0]), str(program_files), str(dir_fields[0])});
    for (std::size_t i = 1; i < dirs.size(); ++i)
      t.cells.insert(t.cells.end(), {str(dir_keys[i]), str(dir_keys[dirs[i].parent]), str(dir_fields[i])});
  }
  // Components: one per directory (what creates it, empty or not), one
  // per file (its key path), each keyed by the upgrade code and its path,
  // so that every version of the product has the same component for the
  // same file; a configuration file's is NeverOverwrite and Permanent.
  const auto component_key = [](bool file, std::size_t i) { return (file ? "k" : "c") + std::to_string(i); };
  {
    msi::table& t = add_table("Component", msi::component_columns);
    const std::uint32_t attributes = msi::short_value(x64 || arm64 ? 256 : 0);
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      const std::string guid = msi::guid_of({"vitte.msi directory", upgrade, dirs[i].path});
      t.cells.insert(t.cells.end(), {str(component_key(false, i)), str(guid), str(dir_keys[i]), attributes, 0, 0});
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string guid = msi::guid_of({"vitte.msi file", upgrade, files[i].path});
      const bool config =
          std::find(f.config_files.begin(), f.config_files.end(), files[i].path) != f.config_files.end();
      const std::uint32_t kept = msi::short_value((x64 || arm64 ? 256 : 0) | (config ? 128 | 16 : 0));
      t.cells.insert(t.cells.end(), {str(component_key(true, i)), str(guid), str(dir_keys[files[i].parent]),
                                     config ? kept : attributes, 0, str("f" + std::to_string(i + 1))});
    }
  }
  {
    msi::table& t = add_table("File", msi::file_columns);
    for (std::size_t i = 0; i < files.size(); ++i)
      t.cells.insert(t.cells.end(), {str("f" + std::to_string(i + 1)), str(component_key(true, i)), str(file_fields[i]),
                                     msi::long_value(static_cast<std::int64_t>(files[i].size)), 0, 0,
                                     msi::short_value(512), msi::long_value(static_cast<std::int64_t>(i + 1))});
  }
  {
    msi::table& t = add_table("Feature", msi::feature_columns);
    t.cells.insert(t.cells.end(), {str(msi::feature_name), 0, str(f.name), 0, msi::short_value(2), msi::short_value(1),
                                   0, msi::short_value(0)});
    msi::table& fc = add_table("FeatureComponents", msi::feature_components_columns);
    for (std::size_t i = 0; i < dirs.size(); ++i)
      fc.cells.insert(fc.cells.end(), {str(msi::feature_name), str(component_key(false, i))});
    for (std::size_t i = 0; i < files.size(); ++i)
      fc.cells.insert(fc.cells.end(), {str(msi::feature_name), str(component_key(true, i))});
    msi::table& cf = add_table("CreateFolder", msi::create_folder_columns);
    for (std::size_t i = 0; i < dirs.size(); ++i)
      cf.cells.insert(cf.cells.end(), {str(dir_keys[i]), str(component_key(false, i))});
  }
  {
    msi::table& t = add_table("Media", msi::media_columns);
    if (!files.empty())
      t.cells.insert(t.cells.end(), {msi::short_value(1), msi::long_value(static_cast<std::int64_t>(files.size())), 0,
                                     str("#" + std::string(msi::cabinet_name)), 0, 0});
  }
  const struct {
    text_view name;
    span<const msi::action> actions;
  } sequences[] = {{"InstallExecuteSequence", msi::install_execute},
                   {"InstallUISequence", msi::install_ui},
                   {"AdminExecuteSequence", msi::admin_execute},
                   {"AdminUISequence", msi::admin_ui},
                   {"AdvtExecuteSequence", msi::advertise_execute}};
  for (const auto& s : sequences) {
    msi::table& t = add_table(s.name, msi::sequence_columns);
    for (const msi::action& a : s.actions)
      t.cells.insert(t.cells.end(), {str(a.name), 0, msi::short_value(a.sequence)});
  }
  msi::table tables_table{"_Tables", {}, {}}, columns_table{"_Columns", {}, {}};
  static constexpr msi::column tables_columns[] = {{"Name", msi::key | msi::string | 64}};
  static constexpr msi::column columns_columns[] = {{"Table", msi::key | msi::string | 64},
                                                    {"Number", msi::key | msi::short_int},
                                                    {"Name", msi::string | 64},
                                                    {"Type", msi::short_int}};
  tables_table.columns = tables_columns;
  columns_table.columns = columns_columns;
  for (const msi::table& t : tables) {
    tables_table.cells.push_back(str(t.name));
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      columns_table.cells.insert(columns_table.cells.end(),
                                 {str(t.name), msi::short_value(static_cast<int>(c + 1)), str(t.columns[c].name),
                                  msi::short_value(t.columns[c].type)});
  }
  for (const std::string& s : pool.strings)
    if (s.size() > 0xFFFF) return fail(errc::limit_exceeded, "a string over 64 KiB", s.substr(0, 64));

  // The cabinet, its files in sequence order under their File keys, each
  // read in pieces and digested on the way; its blocks set aside.
  buffer<std::byte> cab_head;
  std::vector<std::string> digests(files.size());
  if (!files.empty()) {
    cab_stream cab(f.level < 0 ? 0 : f.level > 9 ? 9 : f.level, f.time, cab_data.sink);
    buffer<std::byte> piece;
    for (std::size_t i = 0; i < files.size(); ++i) {
      const node& n = files[i];
      if (!cab.add("f" + std::to_string(i + 1), n.size, &why)) return why.about(n.path), false;
      crypto::sha256 sha;
      const auto feed = [&](span<const std::byte> bytes) {
        sha.update(bytes);
        if (status s = cab.write(bytes); !s) return fail(s.error().kind(), "cannot write the cabinet", f.name);
        return true;
      };
      if (n.source.empty()) {
        if (!feed(n.data)) return false;
      } else if (n.size != 0) {
        result<vitte::sys::file> in = vitte::sys::file::open(n.source, vitte::sys::open_mode::read);
        if (!in) return fail(in.error().kind(), "cannot read the file", n.source);
        if (piece.empty() && !piece.try_resize_for_overwrite(tree_piece))
          return fail(errc::no_memory, "cannot read the file", n.source);
        for (std::uint64_t left = n.size; left != 0;) {
          const std::size_t want = left < piece.size() ? static_cast<std::size_t>(left) : piece.size();
          if (status s = in->read_exact(span<std::byte>(piece.data(), want)); !s)
            return fail(s.error().kind(), "cannot read the file (or it shrank while it was packed)", n.source);
          if (!feed(span<const std::byte>(piece.data(), want))) return false;
          left -= want;
        }
      }
      digests[i] = digest_hex(sha.finish());
    }
    if (!cab.finish(cab_head, &why)) return false;
    if (cab_head.size() + cab_data.sink.size > 0x80000000u)
      return fail(errc::limit_exceeded,
                  "files that compress to a cabinet over 2 GiB, the most one stream of a compound file holds", {});
  }

  // The package code: everything that makes the package, the files by
  // their digests.
  std::string contents;
  for (std::size_t i = 1; i < dirs.size(); ++i) contents += "d " + dirs[i].path + "\n";
  for (std::size_t i = 0; i < files.size(); ++i)
    contents += "f " + files[i].path + " " + std::to_string(files[i].size) + " " + digests[i] + "\n";
  for (const std::string& c : f.config_files) contents += "c " + c + "\n";
  const std::string level = std::to_string(f.level), time = std::to_string(f.time);
  const std::string package =
      msi::guid_of({"vitte.msi package", product, upgrade, f.name, f.version, f.manufacturer, f.description, f.arch,
                    level, time, sha256_hex(vitte::detail::bytes_of(contents))});

  // The summary information.
  const std::int64_t since_1601 =
      std::clamp<std::int64_t>(f.time, -11644473600LL, std::int64_t{1} << 40) + 11644473600LL;
  const std::uint64_t filetime = static_cast<std::uint64_t>(since_1601) * 10000000u;
  const std::string name(f.name.data(), f.name.size());
  std::vector<msi::summary_property> props = {
      {1, 2, "", static_cast<std::uint64_t>(codepage)},
      {2, 30, "Installation Database", 0},
      {3, 30, name, 0},
      {4, 30, std::string(f.manufacturer.empty() ? text_view("unknown") : f.manufacturer), 0},
      {5, 30, "Installer", 0},
      {6, 30,
       f.description.empty() ? "This installer database contains the logic and data required to install " + name + "."
                             : std::string(f.description.data(), f.description.size()),
       0},
      {7, 30, std::string(f.arch.data(), f.arch.size()) + ";1033", 0},
      {9, 30, package, 0},
      {12, 64, "", filetime},
      {13, 64, "", filetime},
      {14, 3, "", arm64 ? 500u : 200u},
      {15, 3, "", 2},
      {18, 30, "vitte", 0},
      {19, 3, "", 2}};

  // The streams.
  const std::size_t ref = pool.string_ref();
  std::vector<std::vector<std::byte>> bodies;
  std::vector<cfb_input> streams;
  const auto add = [&](std::u16string name, std::vector<std::byte> body) {
    bodies.push_back(static_cast<std::vector<std::byte>&&>(body));
    streams.push_back({static_cast<std::u16string&&>(name), {}});
  };
  add(msi::stream_name("_Tables", true), msi::table_stream(tables_table, ref));
  add(msi::stream_name("_Columns", true), msi::table_stream(columns_table, ref));
  for (const msi::table& t : tables)
    if (!t.cells.empty()) add(msi::stream_name(t.name, true), msi::table_stream(t, ref));
  {
    std::vector<std::byte> pool_bytes(4 + 4 * pool.strings.size()), data;
    vitte::detail::store_le<std::uint32_t>(pool_bytes.data(),
                                           static_cast<std::uint32_t>(codepage) | (ref == 3 ? 0x80000000u : 0));
    for (std::size_t i = 0; i < pool.strings.size(); ++i) {
      vitte::detail::store_le<std::uint16_t>(pool_bytes.data() + 4 + 4 * i,
                                             static_cast<std::uint16_t>(pool.strings[i].size()));
      vitte::detail::store_le<std::uint16_t>(pool_bytes.data() + 6 + 4 * i,
                                             static_cast<std::uint16_t>(std::min<std::uint32_t>(pool.refs[i], 0xFFFF)));
      const auto* s = reinterpret_cast<const std::byte*>(pool.strings[i].data());
      data.insert(data.end(), s, s + pool.strings[i].size());
    }
    add(msi::stream_name("_StringPool", true), static_cast<std::vector<std::byte>&&>(pool_bytes));
    add(msi::stream_name("_StringData", true), static_cast<std::vector<std::byte>&&>(data));
  }
  add(u"\x0005SummaryInformation", msi::summary_stream(props));
  for (std::size_t i = 0; i < streams.size(); ++i) streams[i].data = bodies[i];
  // The cabinet: its head, then its blocks read back.
  struct cabinet {
    span<const std::byte> head;
    set_aside* blocks;
    static status fill(archive_sink& to, void* self) {
      auto& c = *static_cast<cabinet*>(self);
      if (status s = to.write(c.head); !s) return s;
      return c.blocks->read_back([&](span<const std::byte> piece) { return to.write(piece); });
    }
  } cab{cab_head.span(), &cab_data};
  if (!files.empty()) {
    cfb_input in;
    in.name = msi::stream_name(msi::cabinet_name, false);
    in.size = cab_head.size() + cab_data.sink.size;
    in.fill = &cabinet::fill;
    in.user = &cab;
    streams.push_back(static_cast<cfb_input&&>(in));
  }
  if (!cfb_write_to(streams, msi::database_clsid, out, &why)) return false;

  // What msi_read() lists: the directories under INSTALLDIR and the files,
  // by path.
  for (std::size_t i = 1; i < dirs.size(); ++i) {
    package_entry e;
    e.path = dirs[i].path;
    e.type = "directory";
    e.mode = 0755;
    installs.push_back(static_cast<package_entry&&>(e));
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    package_entry e;
    e.path = files[i].path;
    e.type = "file";
    e.mode = 0644;
    e.size = files[i].size;
    e.sha256 = digests[i];
    installs.push_back(static_cast<package_entry&&>(e));
  }
  std::sort(installs.begin(), installs.end(),
            [](const package_entry& a, const package_entry& b) { return a.path < b.path; });
  return true;
}

}  // namespace msi

VITTE_DECL result<buffer<std::byte>> msi_write(span<const std::byte> tar, const msi_fields& f, vitte::diagnostic* why) {
  vitte::diagnostic d;
  if (!msi::check_fields(f, d)) return pass_on(why, d);
  msi::tree t(f.name);
  if (!msi::read_tree(tar, t, d)) return pass_on(why, d);
  buffer<std::byte> bytes;
  archive_sink out;
  out.memory = &bytes;
  set_aside cab;
  (void)cab.open({});
  std::vector<package_entry> installs;
  if (!msi::write_package(f, t, out, cab, installs, d)) return pass_on(why, d);
  return bytes;
}

VITTE_DECL status msi_write_tree(span<const tree_item> items, const msi_fields& f, archive_sink& out,
                                 text_view scratch_dir, std::vector<package_entry>& installs, vitte::diagnostic* why) {
  vitte::diagnostic d;
  if (!msi::check_fields(f, d)) return pass_on(why, d);
  msi::tree t(f.name);
  for (const tree_item& x : items)
    if (!msi::add_entry(t, x.path, x.type, x.size, {}, x.source, d)) return pass_on(why, d);
  if (!msi::tree_fits(t, d)) return pass_on(why, d);
  set_aside cab;
  if (status s = cab.open(scratch_dir); !s)
    return refuse_error(why, s.error().kind(), scratch_dir, "cannot make a scratch file in the output directory");
  if (!msi::write_package(f, t, out, cab, installs, d)) return pass_on(why, d);
  return {};
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_MSI_WRITER_IPP
