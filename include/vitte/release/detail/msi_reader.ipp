// vitte/release/detail/msi_reader.ipp - msi_read(): a Windows Installer
// database taken apart again, bounded everywhere: the compound file, the
// string pool (code page 1252 or UTF-8), the tables it needs, the embedded
// cabinets, joined into the entries the package installs.
#ifndef VITTE_RELEASE_DETAIL_MSI_READER_IPP
#define VITTE_RELEASE_DETAIL_MSI_READER_IPP

#include <vitte/archive/tar.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/decimal.hpp>      // version numbers
#include <vitte/base/detail/endian.hpp>       // load_le / store_le
#include <vitte/base/detail/hex.hpp>          // GUIDs
#include <vitte/base/detail/utf8.hpp>         // names from untrusted packages
#include <vitte/base/detail/utf8_encode.hpp>  // code-page strings as text
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/release/detail/cab.hpp>
#include <vitte/release/detail/cfb.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/msi.hpp>
#include <vitte/release/detail/msi_names.hpp>
#include <vitte/release/detail/msi_schema.hpp>
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/release/operations.hpp>         // ops::package

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

// --- Reading the database ---------------------------------------------

// Windows-1252's characters 0x80-0x9F (the rest of its upper half is Latin-1).
inline constexpr char16_t cp1252_high[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                             0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                             0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                             0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// The string pool read back: each string's place in _StringData.
class pool_view {
 public:
  span<const std::byte> data;
  std::vector<std::pair<std::size_t, std::size_t>> strings;  // offset, length; index 0 is null
  std::uint32_t codepage = 0;
  std::size_t string_ref = 2;
  std::size_t offset = 0;  // of _StringData in the file, for messages

  /// String `id` as UTF-8 (empty for 0), decoded once and kept: a table
  /// may refer to one long string from every row, and each lookup after
  /// the first costs nothing more.
  bool get(std::uint32_t id, std::string_view& out, vitte::diagnostic* why) const {
    out = {};
    if (id == 0) return true;
    if (id >= strings.size()) return fail(why, "a string reference past the string pool");
    if (decoded.size() != strings.size()) {
      decoded.assign(strings.size(), std::string());
      done.assign(strings.size(), 0);
    }
    if (done[id] == 0) {
      if (!decode(id, decoded[id], why)) return false;
      done[id] = 1;
    }
    out = decoded[id];
    return true;
  }
  bool get(std::uint32_t id, std::string& out, vitte::diagnostic* why) const {
    std::string_view v;
    if (!get(id, v, why)) return false;
    out.assign(v.data(), v.size());
    return true;
  }

 private:
  mutable std::vector<std::string> decoded;
  mutable std::vector<std::uint8_t> done;

  bool fail(vitte::diagnostic* why, const char* what) const {
    return refuse(why, errc::malformed, offset, "_StringData", what);
  }
  bool decode(std::uint32_t id, std::string& out, vitte::diagnostic* why) const {
    out.clear();
    const auto* s = reinterpret_cast<const char*>(data.data()) + strings[id].first;
    const std::size_t n = strings[id].second;
    bool ascii = true;
    for (std::size_t i = 0; i < n; ++i) ascii = ascii && static_cast<unsigned char>(s[i]) < 0x80;
    if (ascii || codepage == 65001) {
      out.assign(s, n);
      if (!vitte::detail::valid_utf8(out)) return fail(why, "a string that is not UTF-8 in a UTF-8 database");
      return true;
    }
    if (codepage != 1252 && codepage != 0) return fail(why, "a string in a code page other than 1252 or UTF-8");
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      vitte::detail::append_utf8(out, c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c);
    }
    return true;
  }
};

// A table read back: its columns' names and types, and its cells as stored.
struct table_view {
  text_view name;          // for messages: the table
  std::size_t offset = 0;  // and its stream's offset in the file (0 when it has none)
  std::vector<std::string> names;
  std::vector<std::uint16_t> types;
  std::vector<std::uint32_t> cells;  // row after row
  std::size_t rows = 0;

  std::size_t column(text_view name) const {
    for (std::size_t c = 0; c < names.size(); ++c)
      if (text_view(names[c]) == name) return c;
    return SIZE_MAX;
  }
  std::uint32_t at(std::size_t row, std::size_t col) const { return cells[row * names.size() + col]; }
  // The integer in a cell, or false for null.
  bool number(std::size_t row, std::size_t col, std::int64_t& out) const {
    const std::uint32_t v = at(row, col);
    if (v == 0) return false;
    out = width_of(types[col], 2) == 2 ? static_cast<std::int64_t>(v) - 0x8000
                                       : static_cast<std::int64_t>(v) - 0x80000000LL;
    return true;
  }
};

// Cells of `n` bytes, little-endian, at `p`.
VITTE_DECL std::uint32_t load_cell(const std::byte* p, std::size_t n) {
  if (n == 4) return vitte::detail::load_le<std::uint32_t>(p);
  std::uint32_t v = vitte::detail::load_le<std::uint16_t>(p);
  if (n == 3) v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(p[2])) * 0x10000u;
  return v;
}

// Decodes a table stream of the given column widths, column after column.
VITTE_DECL bool decode_cells(span<const std::byte> s, const std::vector<std::size_t>& widths,
                             std::vector<std::uint32_t>& cells, std::size_t& rows) {
  std::size_t row_size = 0;
  for (const std::size_t w : widths) row_size += w;
  if (row_size == 0 || s.size() % row_size != 0) return false;
  rows = s.size() / row_size;
  cells.assign(rows * widths.size(), 0);
  std::size_t at = 0;
  for (std::size_t c = 0; c < widths.size(); ++c)
    for (std::size_t r = 0; r < rows; ++r, at += widths[c])
      cells[r * widths.size() + c] = load_cell(s.data() + at, widths[c]);
  return true;
}

// The long name of a Filename or DefaultDir field ("target:source" and
// "short|long" forms).
VITTE_DECL text_view long_name(text_view field) {
  field = field.substr(0, field.find(':'));
  const std::size_t bar = field.find('|');
  return bar == text_view::npos ? field : field.substr(bar + 1);
}

// A name that may become part of a path: not empty, ".", "..", and no
// character a path or Windows gives a meaning to.
VITTE_DECL bool path_name_ok(text_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || text_view("\\/:*?\"<>|").find(c) != text_view::npos) return false;
  return true;
}

}  // namespace msi

VITTE_DECL bool msi_read(span<const std::byte> msi, msi_contents& out, vitte::diagnostic* why) {
  const auto fail = [&](const char* w, std::size_t where, text_view subject = {}) {
    return refuse(why, errc::malformed, where < msi.size() ? where : msi.size(), subject, w);
  };
  // A table's fault: the table and where its stream is.
  const auto fail_in = [&](const msi::table_view& t, const char* w) { return fail(w, t.offset, t.name); };
  cfb_contents file;
  if (!cfb_read(msi, file, why)) return false;
  if (std::memcmp(file.clsid, msi::database_clsid, 16) != 0)
    return fail("not a Windows Installer database (the root storage's CLSID is not 000C1084-...-46)", 0);
  std::unordered_map<std::string, const cfb_stream*> tables, streams;
  for (const cfb_stream& s : file.streams) {
    bool table = false;
    std::string name = msi::decode_stream_name(s.name, table);
    (table ? tables : streams).emplace(static_cast<std::string&&>(name), &s);
  }
  const auto stream_of = [&](text_view name) -> const cfb_stream* {
    const auto it = tables.find(std::string(name.data(), name.size()));
    return it == tables.end() ? nullptr : it->second;
  };

  // The string pool.
  msi::pool_view pool;
  const cfb_stream* pool_stream = stream_of("_StringPool");
  const cfb_stream* data_stream = stream_of("_StringData");
  if (pool_stream == nullptr || data_stream == nullptr) return fail("a database without _StringPool or _StringData", 0);
  {
    const span<const std::byte> p = pool_stream->data.span();
    pool.data = data_stream->data.span();
    pool.offset = data_stream->offset;
    if (p.size() % 4 != 0)
      return fail("a string pool whose size is not a multiple of 4", pool_stream->offset, "_StringPool");
    pool.strings.emplace_back(0, 0);
    if (p.size() >= 4) {
      const std::uint32_t head = vitte::detail::load_le<std::uint32_t>(p.data());
      pool.codepage = head & 0x7FFFFFFF;
      pool.string_ref = (head & 0x80000000u) != 0 ? 3 : 2;
    }
    std::size_t offset = 0;
    for (std::size_t i = 1; i < p.size() / 4;) {
      std::size_t len = vitte::detail::load_le<std::uint16_t>(p.data() + 4 * i);
      const std::uint16_t refs = vitte::detail::load_le<std::uint16_t>(p.data() + 4 * i + 2);
      if (len == 0 && refs != 0) {  // a string of 64 KiB or more: its length in the next entry
        if (i + 1 >= p.size() / 4)
          return fail("a string pool's long string entry cut short", pool_stream->offset, "_StringPool");
        len = vitte::detail::load_le<std::uint32_t>(p.data() + 4 * (i + 1));
        i += 2;
      } else {
        i += 1;
      }
      if (len > pool.data.size() - offset)
        return fail("a string pool longer than its string data", data_stream->offset, "_StringData");
      pool.strings.emplace_back(offset, len);
      offset += len;
    }
  }

  // _Tables and _Columns, then any table by name.
  std::vector<std::size_t> widths;
  const std::size_t ref = pool.string_ref;
  const cfb_stream* columns_stream = stream_of("_Columns");
  if (columns_stream == nullptr) return fail("a database without _Columns", 0);
  widths = {ref, 2, ref, 2};
  std::vector<std::uint32_t> columns_cells;
  std::size_t columns_rows = 0;
  if (!msi::decode_cells(columns_stream->data.span(), widths, columns_cells, columns_rows))
    return fail("a _Columns table whose size is not a whole number of rows", columns_stream->offset, "_Columns");
  std::string_view s;
  const auto load = [&](text_view name, msi::table_view& t) -> bool {
    std::vector<std::pair<std::uint32_t, std::size_t>> numbered;  // Number, row in _Columns
    for (std::size_t r = 0; r < columns_rows; ++r) {
      if (!pool.get(columns_cells[r * 4], s, why)) return false;
      if (text_view(s) == name) numbered.emplace_back(columns_cells[r * 4 + 1], r);
    }
    std::sort(numbered.begin(), numbered.end());
    t = msi::table_view();
    t.name = name;
    widths.clear();
    for (std::size_t k = 0; k < numbered.size(); ++k) {
      if (numbered[k].first != 0x8000 + k + 1)
        return fail("a table whose columns are not numbered 1, 2, 3, ...", columns_stream->offset, name);
      const std::size_t r = numbered[k].second;
      if (!pool.get(columns_cells[r * 4 + 2], s, why)) return false;
      t.names.emplace_back(s);
      t.types.push_back(static_cast<std::uint16_t>(columns_cells[r * 4 + 3] - 0x8000));
      widths.push_back(msi::width_of(t.types.back(), ref));
    }
    if (t.names.empty()) return fail("a table the database does not have", columns_stream->offset, name);
    const cfb_stream* st = stream_of(name);
    if (st == nullptr) return true;  // a table without rows
    t.offset = st->offset;
    if (!msi::decode_cells(st->data.span(), widths, t.cells, t.rows))
      return fail_in(t, "a table whose size is not a whole number of rows");
    return true;
  };
  const auto need = [&](const msi::table_view& t, std::initializer_list<text_view> names, std::size_t* cols) -> bool {
    for (const text_view n : names) {
      *cols = t.column(n);
      if (*cols == SIZE_MAX) {
        if (!fail_in(t, "a table without a column Windows Installer requires") && why != nullptr)
          why->append(" (").append(n).append(")");
        return false;
      }
      ++cols;
    }
    return true;
  };

  // The product.
  msi::table_view property, directory, component, file_table, media;
  if (!load("Property", property)) return false;
  std::size_t pc[2];
  if (!need(property, {"Property", "Value"}, pc)) return false;
  for (std::size_t r = 0; r < property.rows; ++r) {
    if (!pool.get(property.at(r, pc[0]), s, why)) return false;
    std::string* field = s == "ProductName"      ? &out.name
                         : s == "ProductVersion" ? &out.version
                         : s == "ProductCode"    ? &out.product_code
                         : s == "UpgradeCode"    ? &out.upgrade_code
                                                 : nullptr;
    if (field != nullptr && !pool.get(property.at(r, pc[1]), *field, why)) return false;
  }

  // Directories: each one's path under the install directory.
  if (!load("Directory", directory)) return false;
  std::size_t dc[3];
  if (!need(directory, {"Directory", "Directory_Parent", "DefaultDir"}, dc)) return false;
  std::unordered_map<std::uint32_t, std::size_t> dir_row;  // key's string id -> row
  for (std::size_t r = 0; r < directory.rows; ++r)
    if (!dir_row.emplace(directory.at(r, dc[0]), r).second)
      return fail_in(directory, "a Directory table with a key twice");
  std::size_t root = SIZE_MAX;
  for (const text_view k : {"INSTALLDIR", "INSTALLFOLDER", "APPLICATIONFOLDER"})
    for (std::size_t r = 0; r < directory.rows && root == SIZE_MAX; ++r) {
      if (!pool.get(directory.at(r, dc[0]), s, why)) return false;
      if (text_view(s) == k) root = r;
    }
  for (std::size_t r = 0; r < directory.rows && root == SIZE_MAX; ++r) {
    if (!pool.get(directory.at(r, dc[1]), s, why)) return false;
    if (s == "ProgramFilesFolder" || s == "ProgramFiles64Folder") root = r;
  }
  for (std::size_t r = 0; r < directory.rows && root == SIZE_MAX; ++r) {
    if (!pool.get(directory.at(r, dc[0]), s, why)) return false;
    if (s == "TARGETDIR") root = r;
  }
  if (root == SIZE_MAX) return fail_in(directory, "a Directory table without INSTALLDIR or TARGETDIR");
  // Paths resolved once each, parents first: 0 not yet, 1 on the way
  // (a parent seen again: a loop), 2 under the root, 3 elsewhere.
  std::vector<std::uint8_t> state(directory.rows, 0);
  std::vector<std::string> paths(directory.rows);
  state[root] = 2;
  std::size_t path_bytes = 0;
  const std::size_t path_budget = 64 * msi.size() + (std::size_t{1} << 24);
  for (std::size_t start = 0; start < directory.rows; ++start) {
    std::vector<std::size_t> chain;
    std::size_t r = start;
    while (state[r] == 0) {
      state[r] = 1;
      chain.push_back(r);
      const auto p = dir_row.find(directory.at(r, dc[1]));
      if (p == dir_row.end() || p->second == r) {  // a root other than ours
        r = SIZE_MAX;
        break;
      }
      r = p->second;
    }
    if (r != SIZE_MAX && state[r] == 1) return fail_in(directory, "a Directory table whose parents loop");
    bool under = r != SIZE_MAX && state[r] == 2;
    std::string base = under ? paths[r] : std::string();
    while (!chain.empty()) {
      const std::size_t c = chain.back();
      chain.pop_back();
      state[c] = under ? 2 : 3;
      if (!under) continue;
      if (!pool.get(directory.at(c, dc[2]), s, why)) return false;
      const text_view name = msi::long_name(s);
      if (name != ".") {
        if (!msi::path_name_ok(name))
          return fail_in(directory, "a directory name that is empty, \".\", \"..\" or has \\/:*?\"<>|");
        base = base.empty() ? std::string(name) : base + "/" + std::string(name);
      }
      if (base.size() > 32767) return fail_in(directory, "a directory path over 32767 bytes");
      path_bytes += base.size();
      if (path_bytes > path_budget) return fail_in(directory, "directory paths longer than the package could hold");
      paths[c] = base;
    }
  }

  // Components and files.
  if (!load("Component", component)) return false;
  std::size_t cc[2];
  if (!need(component, {"Component", "Directory_"}, cc)) return false;
  std::unordered_map<std::uint32_t, std::size_t> component_dir;  // key -> Directory row
  std::unordered_map<std::uint32_t, std::size_t> component_row;  // key -> Component row
  const std::size_t id_column = component.column("ComponentId"), attributes_column = component.column("Attributes");
  for (std::size_t r = 0; r < component.rows; ++r) {
    component_row.emplace(component.at(r, cc[0]), r);
    const auto d = dir_row.find(component.at(r, cc[1]));
    if (d == dir_row.end()) return fail_in(component, "a component in a directory the Directory table does not have");
    if (!component_dir.emplace(component.at(r, cc[0]), d->second).second)
      return fail_in(component, "a Component table with a key twice");
  }
  if (!load("File", file_table)) return false;
  std::size_t fc[4];
  if (!need(file_table, {"File", "Component_", "FileName", "FileSize"}, fc)) return false;
  if (!load("Media", media)) return false;
  std::size_t mc[1];
  if (!need(media, {"Cabinet"}, mc)) return false;

  // The embedded cabinets, each read once.
  std::vector<cab_contents> cabs;
  std::vector<std::vector<std::uint8_t>> taken;                                 // each cabinet file installs once
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> in_cab;  // name -> cabinet, file
  std::unordered_set<std::string> cabs_read;
  std::uint64_t budget = 1032 * std::uint64_t{msi.size()} + (std::uint64_t{1} << 20);
  for (std::size_t r = 0; r < media.rows; ++r) {
    if (!pool.get(media.at(r, mc[0]), s, why)) return false;
    if (s.empty() || s[0] != '#' || !cabs_read.emplace(s).second) continue;
    const auto st = streams.find(std::string(s.substr(1)));
    if (st == streams.end()) return fail_in(media, "a cabinet the Media table names that the package does not hold");
    cab_contents c;
    if (!cab_read(st->second->data.span(), c, why, budget)) {  // the cabinet's message and file, at the stream
      if (why != nullptr) why->at(st->second->offset);
      return false;
    }
    budget -= c.declared;
    out.unpacked += c.declared;
    for (std::size_t k = 0; k < c.files.size(); ++k)
      if (!in_cab.emplace(c.files[k].name, std::make_pair(cabs.size(), k)).second)
        return fail("two cabinet files with one name", st->second->offset, c.files[k].name);
    taken.emplace_back(c.files.size(), 0);
    cabs.push_back(static_cast<cab_contents&&>(c));
  }

  // The entries.
  std::vector<package_entry>& entries = out.entries;
  std::unordered_set<std::string> dir_paths;
  for (std::size_t r = 0; r < directory.rows; ++r)
    if (state[r] == 2 && !paths[r].empty() && dir_paths.insert(paths[r]).second) {
      package_entry e;
      e.path = paths[r];
      e.type = "directory";
      e.mode = 0755;
      entries.push_back(static_cast<package_entry&&>(e));
    }
  for (std::size_t r = 0; r < file_table.rows; ++r) {
    const auto c = component_dir.find(file_table.at(r, fc[1]));
    if (c == component_dir.end()) return fail_in(file_table, "a file of a component the Component table does not have");
    if (state[c->second] != 2) continue;  // not under the install directory
    std::string_view key;
    if (!pool.get(file_table.at(r, fc[0]), key, why) || !pool.get(file_table.at(r, fc[2]), s, why)) return false;
    const text_view name = msi::long_name(s);
    if (!msi::path_name_ok(name))
      return fail_in(file_table, "a file name that is empty, \".\", \"..\" or has \\/:*?\"<>|");
    const auto where = in_cab.find(std::string(key));
    if (where == in_cab.end())
      return fail_in(file_table, "a file in no embedded cabinet (uncompressed or external: not supported)");
    if (taken[where->second.first][where->second.second]++ != 0)
      return fail_in(file_table, "two File rows for one cabinet file");
    const cab_contents& cab = cabs[where->second.first];
    const cab_file& cf = cab.files[where->second.second];
    std::int64_t size = 0;
    if (!file_table.number(r, fc[3], size) || size != cf.size)
      return fail_in(file_table, "a file whose size in the File table differs from the cabinet's");
    package_entry e;
    const std::string& dir = paths[c->second];
    e.path = dir.empty() ? std::string(name) : dir + "/" + std::string(name);
    path_bytes += e.path.size();
    if (path_bytes > path_budget) return fail_in(file_table, "file paths longer than the package could hold");
    e.type = "file";
    e.mode = 0644;
    e.size = cf.size;
    e.sha256 = sha256_hex(cab.data(cf));
    msi_contents::file_component fcomp;
    fcomp.path = e.path;
    const std::size_t row = component_row[file_table.at(r, fc[1])];
    std::string_view id;
    if (id_column != SIZE_MAX && !pool.get(component.at(row, id_column), id, why)) return false;
    fcomp.id = std::string(id);
    if (attributes_column != SIZE_MAX) (void)component.number(row, attributes_column, fcomp.attributes);
    out.components.push_back(static_cast<msi_contents::file_component&&>(fcomp));
    entries.push_back(static_cast<package_entry&&>(e));
  }
  std::sort(entries.begin(), entries.end(),
            [](const package_entry& a, const package_entry& b) { return a.path < b.path; });
  for (std::size_t i = 1; i < entries.size(); ++i)
    if (entries[i].path == entries[i - 1].path) return fail("two entries at one path", 0, entries[i].path);
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_MSI_READER_IPP
