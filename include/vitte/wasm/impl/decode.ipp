// vitte/wasm/impl/decode.ipp - the sections of the binary format, read in
// order and checked; function bodies go through the validator.
#ifndef VITTE_WASM_IMPL_DECODE_IPP
#define VITTE_WASM_IMPL_DECODE_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/bytes.hpp>  // octets_of: the input as the decoder reads it
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/wasm/impl/compile.ipp>
#include <vitte/wasm/impl/opcodes.hpp>  // instr, type_code: the codes by name
#include <vitte/wasm/impl/reader.ipp>
#include <vitte/wasm/module.hpp>

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace vitte::wasm::detail {

constexpr std::uint32_t max_pages = 65536;
constexpr std::uint32_t max_vector = 1u << 24;  // no honest module needs more items in one section vector

class decoder {
 public:
  decoder(module& m, refusal& r) : m_(m), r_(r) {}

  bool run() {
    const std::uint8_t* b = m_.bytes.data();
    reader in(b, 0, m_.bytes.size(), r_);
    std::uint32_t magic, version;
    if (!in.fixed32(magic, "magic header")) return false;
    if (magic != 0x6d736100u) return in.malformed(0, "magic header not detected");
    if (!in.fixed32(version, "version")) return false;
    if (version != 1) return in.malformed(4, "unknown binary version %u", static_cast<unsigned>(version));
    int last_rank = 0;
    while (!in.at_end()) {
      std::size_t at = in.pos();
      std::uint8_t id;
      std::uint32_t size;
      if (!in.byte(id, "section id") || !in.u32(size, "section size")) return false;
      if (size > in.end() - in.pos())
        return in.malformed(at, "section size %u out of bounds (unexpected end)", static_cast<unsigned>(size));
      reader s(b, in.pos(), in.pos() + size, r_);
      in.skip(size, "section");
      if (id == 0) {
        if (!custom(s)) return false;
        continue;
      }
      int rank = section_rank(id);
      if (rank == 0) return s.malformed(at, "malformed section id %u", static_cast<unsigned>(id));
      if (rank <= last_rank)
        return s.malformed(at, "unexpected content after last section (section %u out of order)",
                           static_cast<unsigned>(id));
      last_rank = rank;
      bool ok = false;
      switch (id) {
        case 1:
          ok = types(s);
          break;
        case 2:
          ok = imports(s);
          break;
        case 3:
          ok = functions(s);
          break;
        case 4:
          ok = tables(s);
          break;
        case 5:
          ok = memories(s);
          break;
        case 6:
          ok = globals(s);
          break;
        case 7:
          ok = exports(s);
          break;
        case 8:
          ok = start(s);
          break;
        case 9:
          ok = elements(s);
          break;
        case 10:
          ok = code(s);
          break;
        case 11:
          ok = datas(s);
          break;
        case 12:
          ok = datacount(s);
          break;
        default:
          break;
      }
      if (!ok) return false;
      if (!s.at_end())
        return s.malformed(s.pos(), "section size mismatch (section %u has trailing bytes)", static_cast<unsigned>(id));
    }
    if (!saw_code_ && !m_.functions.empty())
      return in.malformed(in.pos(), "function and code section have inconsistent lengths");
    if (has_datacount_ && datacount_ != m_.data.size())
      return in.malformed(in.pos(), "data count and data section have inconsistent lengths");
    return validate_bodies();
  }

 private:
  static int section_rank(std::uint8_t id) {
    switch (id) {
      case 1:
        return 1;
      case 2:
        return 2;
      case 3:
        return 3;
      case 4:
        return 4;
      case 5:
        return 5;
      case 6:
        return 6;
      case 7:
        return 7;
      case 8:
        return 8;
      case 9:
        return 9;
      case 12:
        return 10;
      case 10:
        return 11;
      case 11:
        return 12;
      default:
        return 0;
    }
  }

  bool invalid(std::size_t at, const char* what) {
    r_.fail(errc::malformed, ops::wasm_validate, at, "%s", what);
    return false;
  }

  bool count(reader& s, std::uint32_t& n, const char* what) {
    std::size_t at = s.pos();
    if (!s.u32(n, what)) return false;
    // Every item takes at least one byte: a count beyond the bytes left is a lie.
    if (n > s.end() - s.pos() || n > max_vector)
      return s.malformed(at, "%s count %u exceeds the section", what, static_cast<unsigned>(n));
    return true;
  }

  bool valtype(reader& s, value_type& t, const char* what) {
    std::size_t at = s.pos();
    std::uint8_t b;
    if (!s.byte(b, what)) return false;
    switch (b) {
      case type_code::i32:
      case type_code::i64:
      case type_code::f32:
      case type_code::f64:
      case type_code::v128:
      case type_code::funcref:
      case type_code::externref:
        t = static_cast<value_type>(b);
        return true;
      default:
        return s.malformed(at, "malformed value type 0x%02x", b);
    }
  }

  bool reftype(reader& s, value_type& t) {
    std::size_t at = s.pos();
    std::uint8_t b;
    if (!s.byte(b, "reference type")) return false;
    if (b != type_code::funcref && b != type_code::externref)
      return s.malformed(at, "malformed reference type 0x%02x", b);
    t = static_cast<value_type>(b);
    return true;
  }

  bool read_limits(reader& s, limits& l, const char* what) {
    std::size_t at = s.pos();
    std::uint8_t flag;
    if (!s.byte(flag, what)) return false;
    if (flag > 1) return s.malformed(at, "integer too large (%s limits flag 0x%02x)", what, flag);
    if (!s.u32(l.min, what)) return false;
    l.has_max = flag == 1;
    if (l.has_max && !s.u32(l.max, what)) return false;
    return true;
  }

  bool check_limits(const limits& l, std::uint64_t bound, std::size_t at, const char* too_big) {
    if (l.min > bound || (l.has_max && l.max > bound)) return invalid(at, too_big);
    if (l.has_max && l.min > l.max) return invalid(at, "size minimum must not be greater than maximum");
    return true;
  }

  bool table_t(reader& s, table_type& t) {
    std::size_t at = s.pos();
    if (!reftype(s, t.element) || !read_limits(s, t.limits, "table")) return false;
    return check_limits(t.limits, 0xffffffffu, at, "table size must be at most 2^32-1");
  }

  bool memory_t(reader& s, memory_type& t) {
    std::size_t at = s.pos();
    if (!read_limits(s, t.limits, "memory")) return false;
    return check_limits(t.limits, max_pages, at, "memory size must be at most 65536 pages (4GiB)");
  }

  bool global_t(reader& s, global_type& g) {
    std::size_t at = s.pos();
    std::uint8_t mut;
    if (!valtype(s, g.type, "global type") || !s.byte(mut, "global mutability")) return false;
    if (mut > 1) return s.malformed(at, "malformed mutability 0x%02x", mut);
    g.is_mutable = mut == 1;
    return true;
  }

  bool custom(reader& s) {
    custom_section c;
    if (!s.name(c.name, "custom section name")) return false;
    c.payload = {static_cast<std::uint32_t>(s.pos()), static_cast<std::uint32_t>(s.end() - s.pos())};
    if (c.name.view() == "name") read_names(c.payload);  // advisory: errors ignored
    m_.customs.push_back(static_cast<custom_section&&>(c));
    s.skip(s.end() - s.pos(), "custom section");
    return true;
  }

  void read_names(byte_range p) {
    refusal quiet;
    reader s(m_.bytes.data(), p.offset, p.offset + p.size, quiet);
    buffer<text> names;
    while (!s.at_end()) {
      std::uint8_t id;
      std::uint32_t size;
      if (!s.byte(id, "name subsection") || !s.u32(size, "name subsection")) return;
      if (size > s.end() - s.pos()) return;
      reader sub(m_.bytes.data(), s.pos(), s.pos() + size, quiet);
      s.skip(size, "name subsection");
      if (id != 1) continue;
      std::uint32_t n;
      if (!sub.u32(n, "names")) return;
      for (std::uint32_t i = 0; i < n; ++i) {
        std::uint32_t idx;
        text nm;
        if (!sub.u32(idx, "name index") || !sub.name(nm, "name")) return;
        if (idx > 1u << 20) return;
        if (idx >= names.size()) names.resize(idx + 1);
        names[idx] = static_cast<text&&>(nm);
      }
    }
    m_.function_names = static_cast<buffer<text>&&>(names);
  }

  bool types(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "type")) return false;
    m_.types.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      std::size_t at = s.pos();
      std::uint8_t form;
      if (!s.byte(form, "type")) return false;
      if (form != type_code::func) return s.malformed(at, "malformed function type form 0x%02x", form);
      func_type t;
      for (auto* list : {&t.params, &t.results}) {
        std::uint32_t k;
        if (!count(s, k, "value type")) return false;
        list->resize(k);
        for (auto& v : *list)
          if (!valtype(s, v, "function type")) return false;
      }
      m_.types.push_back(static_cast<func_type&&>(t));
    }
    return true;
  }

  bool imports(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "import")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      import_desc d;
      if (!s.name(d.module, "import module name") || !s.name(d.name, "import name")) return false;
      std::size_t at = s.pos();
      std::uint8_t kind;
      if (!s.byte(kind, "import kind")) return false;
      switch (kind) {
        case 0:
          d.kind = extern_kind::function;
          if (!s.u32(d.type_index, "import type index")) return false;
          if (d.type_index >= m_.types.size()) return invalid(at, "unknown type");
          m_.function_types.push_back(d.type_index);
          ++m_.imported_functions;
          break;
        case 1:
          d.kind = extern_kind::table;
          if (!table_t(s, d.table)) return false;
          m_.all_tables.push_back(d.table);
          ++m_.imported_tables;
          break;
        case 2:
          d.kind = extern_kind::memory;
          if (!memory_t(s, d.memory)) return false;
          m_.all_memories.push_back(d.memory);
          ++m_.imported_memories;
          if (m_.all_memories.size() > 1) return invalid(at, "multiple memories");
          break;
        case 3:
          d.kind = extern_kind::global;
          if (!global_t(s, d.global)) return false;
          m_.all_globals.push_back(d.global);
          ++m_.imported_globals;
          break;
        default:
          return s.malformed(at, "malformed import kind %u", static_cast<unsigned>(kind));
      }
      m_.imports.push_back(static_cast<import_desc&&>(d));
    }
    return true;
  }

  bool functions(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "function")) return false;
    m_.functions.resize(n);
    for (auto& f : m_.functions) {
      std::size_t at = s.pos();
      if (!s.u32(f.type_index, "function type index")) return false;
      if (f.type_index >= m_.types.size()) return invalid(at, "unknown type");
      m_.function_types.push_back(f.type_index);
    }
    return true;
  }

  bool tables(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "table")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      table_type t;
      if (!table_t(s, t)) return false;
      m_.tables.push_back(t);
      m_.all_tables.push_back(t);
    }
    return true;
  }

  bool memories(reader& s) {
    std::uint32_t n;
    std::size_t at = s.pos();
    if (!count(s, n, "memory")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      memory_type t;
      if (!memory_t(s, t)) return false;
      m_.memories.push_back(t);
      m_.all_memories.push_back(t);
    }
    if (m_.all_memories.size() > 1) return invalid(at, "multiple memories");
    return true;
  }

  bool globals(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "global")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      global_def g;
      if (!global_t(s, g.type)) return false;
      if (!read_const(s, g.type.type, g.init)) return false;
      m_.globals.push_back(g);
      m_.all_globals.push_back(g.type);
    }
    return true;
  }

  bool exports(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "export")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      export_desc e;
      std::size_t at = s.pos();
      if (!s.name(e.name, "export name")) return false;
      std::size_t kat = s.pos();
      std::uint8_t kind;
      if (!s.byte(kind, "export kind") || !s.u32(e.index, "export index")) return false;
      if (kind > 3) return s.malformed(kat, "malformed export kind %u", static_cast<unsigned>(kind));
      e.kind = static_cast<extern_kind>(kind);
      std::size_t limit = kind == 0   ? m_.function_types.size()
                          : kind == 1 ? m_.all_tables.size()
                          : kind == 2 ? m_.all_memories.size()
                                      : m_.all_globals.size();
      if (e.index >= limit) {
        static const char* unknown[] = {"unknown function", "unknown table", "unknown memory", "unknown global"};
        return invalid(kat, unknown[kind]);
      }
      if (kind == 0) declare(e.index);
      for (const auto& o : m_.exports)
        if (o.name.view() == e.name.view()) return invalid(at, "duplicate export name");
      m_.exports.push_back(static_cast<export_desc&&>(e));
    }
    return true;
  }

  bool start(reader& s) {
    std::size_t at = s.pos();
    if (!s.u32(m_.start, "start function")) return false;
    m_.has_start = true;
    if (m_.start >= m_.function_types.size()) return invalid(at, "unknown function");
    const func_type& t = m_.type_of_function(m_.start);
    if (!t.params.empty() || !t.results.empty()) return invalid(at, "start function must have type [] -> []");
    return true;
  }

  bool elements(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "element segment")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      element_segment e;
      std::size_t at = s.pos();
      std::uint32_t flags;
      if (!s.u32(flags, "element segment flags")) return false;
      if (flags > 7) return s.malformed(at, "malformed elements segment kind %u", static_cast<unsigned>(flags));
      bool passive_or_decl = flags & 1, explicit_table = flags & 2, exprs = flags & 4;
      if (!passive_or_decl) {
        e.mode = segment_mode::active;
        if (explicit_table && !s.u32(e.table, "element table index")) return false;
        if (e.table >= m_.all_tables.size()) return invalid(at, "unknown table");
        if (!read_const(s, value_type::i32, e.offset)) return false;
      } else {
        e.mode = explicit_table ? segment_mode::declarative : segment_mode::passive;
      }
      if (passive_or_decl || explicit_table) {
        std::size_t kat = s.pos();
        if (exprs) {
          if (!reftype(s, e.type)) return false;
        } else {
          std::uint8_t kind;
          if (!s.byte(kind, "element kind")) return false;
          if (kind != 0) return s.malformed(kat, "malformed element kind %u", static_cast<unsigned>(kind));
          e.type = value_type::funcref;
        }
      }
      e.items_are_exprs = exprs;
      std::uint32_t k;
      if (!count(s, k, "element")) return false;
      for (std::uint32_t j = 0; j < k; ++j) {
        std::size_t iat = s.pos();
        if (exprs) {
          const_expr r;
          if (!read_const(s, e.type, r)) return false;
          e.exprs.push_back(r);
        } else {
          std::uint32_t f;
          if (!s.u32(f, "element function index")) return false;
          if (f >= m_.function_types.size()) return invalid(iat, "unknown function");
          declare(f);
          e.funcs.push_back(f);
        }
      }
      if (e.mode == segment_mode::active && m_.all_tables[e.table].element != e.type)
        return invalid(at, "type mismatch: element segment type differs from its table's");
      m_.elements.push_back(static_cast<element_segment&&>(e));
    }
    return true;
  }

  bool datacount(reader& s) {
    has_datacount_ = true;
    m_.has_data_count = true;
    return s.u32(datacount_, "data count");
  }

  bool code(reader& s) {
    saw_code_ = true;
    std::uint32_t n;
    std::size_t at = s.pos();
    if (!count(s, n, "code entry")) return false;
    if (n != m_.functions.size()) return s.malformed(at, "function and code section have inconsistent lengths");
    for (auto& f : m_.functions) {
      std::uint32_t size;
      if (!s.u32(size, "function body size")) return false;
      if (size > s.end() - s.pos()) return s.eof("function body");
      f.body = {static_cast<std::uint32_t>(s.pos()), size};
      s.skip(size, "function body");
    }
    return true;
  }

  bool datas(reader& s) {
    std::uint32_t n;
    if (!count(s, n, "data segment")) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      data_segment d;
      std::size_t at = s.pos();
      std::uint32_t flags;
      if (!s.u32(flags, "data segment flags")) return false;
      if (flags > 2) return s.malformed(at, "malformed data segment kind %u", static_cast<unsigned>(flags));
      if (flags == 1) {
        d.mode = segment_mode::passive;
      } else {
        if (flags == 2 && !s.u32(d.memory, "data memory index")) return false;
        if (d.memory >= m_.all_memories.size()) return invalid(at, "unknown memory");
        if (!read_const(s, value_type::i32, d.offset)) return false;
      }
      std::uint32_t len;
      if (!s.u32(len, "data segment size")) return false;
      if (len > s.end() - s.pos()) return s.eof("data segment");
      d.bytes = {static_cast<std::uint32_t>(s.pos()), len};
      s.skip(len, "data segment");
      m_.data.push_back(d);
    }
    return true;
  }

  void declare(std::uint32_t f) {
    if (declared_.size() < m_.function_types.size()) declared_.resize(m_.function_types.size());
    if (f < declared_.size()) declared_[f] = true;
  }

  // A constant expression of type `want`: consts, ref.null, ref.func,
  // global.get of an imported immutable global, and the extended-const
  // i32/i64 add, sub, mul; validated and decoded into m_.const_ops, what
  // instantiation evaluates.
  bool read_const(reader& s, value_type want, const_expr& out) {
    std::size_t start = s.pos();
    const std::size_t first = m_.const_ops.size();
    value_type stack[64] = {};
    std::size_t depth = 0;
    auto push = [&](value_type t, std::uint8_t code, std::uint32_t index = 0, std::uint64_t lo = 0,
                    std::uint64_t hi = 0) {
      if (depth == 64) return invalid(s.pos(), "constant expression too deep");
      stack[depth++] = t;
      m_.const_ops.push_back({code, index, {lo, hi}});
      return true;
    };
    for (;;) {
      std::size_t at = s.pos();
      std::uint8_t op;
      if (!s.byte(op, "constant expression")) return false;
      if (op == instr::end) break;
      switch (op) {
        case instr::i32_const: {
          std::int32_t v;
          if (!s.s32(v, "i32.const") || !push(value_type::i32, op, 0, static_cast<std::uint32_t>(v))) return false;
          break;
        }
        case instr::i64_const: {
          std::int64_t v;
          if (!s.s64(v, "i64.const") || !push(value_type::i64, op, 0, static_cast<std::uint64_t>(v))) return false;
          break;
        }
        case instr::f32_const: {
          std::uint32_t v;
          if (!s.fixed32(v, "f32.const") || !push(value_type::f32, op, 0, v)) return false;
          break;
        }
        case instr::f64_const: {
          std::uint64_t v;
          if (!s.fixed64(v, "f64.const") || !push(value_type::f64, op, 0, v)) return false;
          break;
        }
        case instr::ref_null: {
          value_type t = value_type::funcref;
          if (!reftype(s, t) || !push(t, op)) return false;
          break;
        }
        case instr::ref_func: {
          std::uint32_t f;
          if (!s.u32(f, "ref.func")) return false;
          if (f >= m_.function_types.size()) return invalid(at, "unknown function");
          declare(f);
          if (!push(value_type::funcref, op, f)) return false;
          break;
        }
        case instr::prefix_simd: {  // v128.const, the one SIMD instruction of constant expressions
          std::uint32_t sub, w[4];
          if (!s.u32(sub, "0xfd sub-opcode")) return false;
          if (sub != simd_opcode::v128_const) return invalid(at, "constant expression required");
          for (std::uint32_t& word : w)
            if (!s.fixed32(word, "v128.const")) return false;
          const auto half = [](std::uint32_t lo, std::uint32_t hi) {  // the words as read: little-endian
            return static_cast<std::uint64_t>(lo) | static_cast<std::uint64_t>(hi) << 32;
          };
          if (!push(value_type::v128, op, 0, half(w[0], w[1]), half(w[2], w[3]))) return false;
          break;
        }
        case instr::global_get: {
          std::uint32_t g;
          if (!s.u32(g, "global.get")) return false;
          if (g >= m_.imported_globals) return invalid(at, "unknown global");
          if (m_.all_globals[g].is_mutable) return invalid(at, "constant expression required");
          if (!push(m_.all_globals[g].type, op, g)) return false;
          break;
        }
        case instr::i32_add:
        case instr::i32_sub:
        case instr::i32_mul:
        case instr::i64_add:
        case instr::i64_sub:
        case instr::i64_mul: {
          value_type t = op <= instr::i32_mul ? value_type::i32 : value_type::i64;
          if (depth < 2 || stack[depth - 1] != t || stack[depth - 2] != t)
            return invalid(at, "type mismatch in constant expression");
          --depth;
          m_.const_ops.push_back({op, 0, {0, 0}});
          break;
        }
        default:
          return invalid(at, "constant expression required");
      }
    }
    if (depth != 1 || stack[0] != want) return invalid(start, "type mismatch in constant expression");
    out = {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(first),
           static_cast<std::uint32_t>(m_.const_ops.size() - first)};
    return true;
  }

  bool validate_bodies() {
    declared_.resize(m_.function_types.size());
    for (std::uint32_t i = 0; i < m_.functions.size(); ++i) {
      body_context ctx{&m_, &declared_, has_datacount_};
      function_compiler c(ctx, m_.imported_functions + i, r_, nullptr);
      if (!c.run()) return false;
      m_.functions[i].max_height = c.max_height();
      m_.functions[i].num_locals = c.num_locals();
    }
    return true;
  }

  module& m_;
  refusal& r_;
  bool saw_code_ = false;
  bool has_datacount_ = false;
  std::uint32_t datacount_ = 0;
  std::vector<bool> declared_;
};

}  // namespace vitte::wasm::detail

namespace vitte::wasm {

VITTE_DECL result<module> decode(span<const std::byte> input, vitte::diagnostic* why) {
  const span<const std::uint8_t> bytes = vitte::detail::octets_of(input);  // the decoder reads octets
  module m;
  m.bytes = buffer<std::uint8_t>(bytes);
  detail::refusal r{why, {}};
  detail::decoder d(m, r);
  if (!d.run()) return r.err ? r.err : vitte::error{errc::malformed, ops::wasm_decode};
  return m;
}

}  // namespace vitte::wasm

// The buffers module.hpp declares, instantiated here (compiled mode).
#if !VITTE_HEADER_ONLY
#define VITTE_WASM_BUFFER(T) template class vitte::buffer<vitte::wasm::T>;
VITTE_WASM_MODULE_BUFFERS(VITTE_WASM_BUFFER)
#undef VITTE_WASM_BUFFER
#endif

#endif  // VITTE_WASM_IMPL_DECODE_IPP
