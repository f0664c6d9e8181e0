// vitte/wasm/impl/compile.ipp - one pass over a function body that validates
// it (types, stack, control, indices) and, when an emitter is given,
// translates it into the register-slot code of impl/code.hpp.
//
// The translator keeps, for every operand-stack entry, where its value is:
// in its own cell (nlocals + height), in a local (local.get, not copied), or
// a constant (not yet written). An entry is written to its own cell
// ("materialised") only when something needs it there: a block boundary, a
// branch carrying it, a call argument, or a local.set of the local it
// aliases. A result goes straight into the local that a following local.set
// names, when nothing can observe the difference.
#ifndef VITTE_WASM_IMPL_COMPILE_IPP
#define VITTE_WASM_IMPL_COMPILE_IPP

#include <vitte/base/config.hpp>
#include <vitte/wasm/impl/accumulator.hpp>
#include <vitte/wasm/impl/code.hpp>
#include <vitte/wasm/impl/opcodes.hpp>  // instr, misc_opcode, type_code: the codes by name
#include <vitte/wasm/impl/reader.ipp>
#include <vitte/wasm/module.hpp>

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace vitte::wasm::detail {

/// What validation of a body needs from its module.
struct body_context {
  const module* m;
  const std::vector<bool>* declared;  ///< functions that ref.func may name
  bool has_datacount;
};

union cell;
using simd_fn = void (*)(cell*, const std::uint32_t*);

/// Where translated code goes and how it names the instance's objects.
struct emitter {
  std::vector<std::uint32_t> code;
  std::vector<code_ref> refs;                ///< the words that name the instance's objects
  const std::uintptr_t* handlers = nullptr;  ///< handler word of each internal op
  instance_refs objects;                     ///< the instance's objects, by index
  bool metered = false;                      ///< charge fuel at the start of every basic block
  bool interruptible = false;                ///< poll at entry and at every loop header
  const simd_fn* scalar_simd = nullptr;      ///< by op: the portable code to call instead (simd_call*), or null
};

/// Writes what `r` names in `objects` into `code`.
VITTE_DECL void write_ref(std::uint32_t* code, const code_ref& r, const instance_refs& objects) noexcept {
  const void* p = nullptr;
  switch (r.kind) {
    case ref_kind::type_id:
      code[r.at] = objects.type_ids[r.index];
      return;
    case ref_kind::function:
      p = objects.functions[r.index];
      break;
    case ref_kind::global:
      p = objects.globals[r.index];
      break;
    case ref_kind::table:
      p = objects.tables[r.index];
      break;
  }
  write_pair(code + r.at, reinterpret_cast<std::uintptr_t>(p));
}

constexpr std::uint32_t max_locals = 1u << 20;  // engine limit on params + locals of one function

class function_compiler {
 public:
  function_compiler(const body_context& ctx, std::uint32_t func_index, refusal& r, emitter* out)
      : ctx_(ctx), m_(*ctx.m), index_(func_index), r_(r), out_(out) {}

  /// Cells of the deepest operand stack, and of the parameters and locals
  /// (a v128 takes two cells, any other value one).
  std::uint32_t max_height() const noexcept { return max_height_; }
  std::uint32_t num_locals() const noexcept { return local_cells_; }

  bool run() {
    const function_def& f = m_.functions[index_ - m_.imported_functions];
    type_ = &m_.types[f.type_index];
    reader in(m_.bytes.data(), f.body.offset, f.body.offset + f.body.size, r_);
    if (!read_locals(in)) return false;
    ctrl c;
    c.kind = 0;
    c.results = type_->results;
    c.height = 0;
    ctrls_.push_back(static_cast<ctrl&&>(c));
    if (out_ && out_->interruptible) begin(op::poll);
    while (!ctrls_.empty()) {
      if (in.at_end()) return in.eof("function body (missing end)");
      if (out_ && out_->metered) charge(m_.bytes[in.pos()]);
      if (!instruction(in)) return false;
    }
    if (!in.at_end()) return in.malformed(in.pos(), "section size mismatch (operators after the function's end)");
    if (out_) use_accumulator(out_->code, insts_, out_->handlers);
    return true;
  }

 private:
  enum : std::uint8_t { any_type = 0 };  // the unknown type of an unreachable stack
  enum kind_t : std::uint8_t { in_cell, in_local, constant };
  struct entry {
    value_type t;
    kind_t kind;
    std::uint32_t slot;  // in_cell: the cell; in_local: the local's cell
    std::uint64_t imm;
    std::uint32_t base;  // the entry's own cell(s)
  };
  struct patch {
    std::uint32_t word;   // the offset word to fill
    std::uint32_t start;  // first word of the branching instruction
  };
  struct ctrl {
    std::uint8_t kind = 0;  // 0 function, 1 block, 2 loop, 3 if, 4 else
    std::vector<value_type> params, results;
    std::uint32_t height = 0;  // operand stack size below the params
    bool unreachable = false;  // the rest of the block is unreachable: the stack is polymorphic
    bool dead = false;         // opened in unreachable code: nothing is emitted inside
    std::uint32_t loop_start = 0;
    std::vector<patch> patches;        // forward branches to the end
    patch else_patch{0xffffffffu, 0};  // if: the jump to else
    const std::vector<value_type>& label_types() const { return kind == 2 ? params : results; }
  };

  // ---- refusals ------------------------------------------------------------
  VITTE_WASM_PRINTF(3, 4)
  bool invalid(std::size_t at, const char* fmt, ...) {
    if (r_.err) return false;
    char buf[200];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r_.fail(errc::malformed, ops::wasm_validate, at, "function %u: %s", static_cast<unsigned>(index_), buf);
    return false;
  }
  static const char* name(value_type t) {
    return static_cast<std::uint8_t>(t) == any_type ? "anything" : to_string(t).data();
  }

  // ---- locals ---------------------------------------------------------------
  bool read_locals(reader& in) {
    nlocals_ = static_cast<std::uint32_t>(type_->params.size());
    for (auto t : type_->params) local_runs_.push_back({1, t});
    std::uint32_t groups;
    std::size_t at = in.pos();
    if (!in.u32(groups, "local declarations")) return false;
    if (groups > in.end() - in.pos()) return in.malformed(at, "too many local declarations");
    std::uint64_t total = nlocals_;
    for (std::uint32_t i = 0; i < groups; ++i) {
      std::uint32_t n;
      std::size_t tat = in.pos();
      if (!in.u32(n, "local count")) return false;
      std::uint8_t b;
      if (!in.byte(b, "local type")) return false;
      value_type t = static_cast<value_type>(b);
      if (b != type_code::v128 && b != type_code::i32 && b != type_code::i64 && b != type_code::f32 &&
          b != type_code::f64 && b != type_code::funcref && b != type_code::externref)
        return in.malformed(tat, "malformed value type 0x%02x", b);
      total += n;
      if (total > 0xffffffffull) return in.malformed(tat, "too many locals");
      if (n) local_runs_.push_back({n, t});
    }
    if (total > max_locals) {
      r_.fail(errc::limit_exceeded, ops::wasm_validate, at, "function %u: %llu locals exceed the engine's limit of %u",
              static_cast<unsigned>(index_), static_cast<unsigned long long>(total), static_cast<unsigned>(max_locals));
      return false;
    }
    nlocals_ = static_cast<std::uint32_t>(total);
    std::uint32_t acc = 0, cells = 0;
    for (auto& r : local_runs_) {
      r.cell_start = cells;
      acc += r.count;
      cells += r.count * cells_of(r.t);
      r.end = acc;
    }
    local_cells_ = cells;
    return true;
  }
  struct run_t {
    std::uint32_t count;
    value_type t;
    std::uint32_t end = 0;         // one past its last local
    std::uint32_t cell_start = 0;  // the cell of its first local
  };
  const run_t& local_run(std::uint32_t i) const {
    std::size_t lo = 0, hi = local_runs_.size();
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (local_runs_[mid].end <= i)
        lo = mid + 1;
      else
        hi = mid;
    }
    return local_runs_[lo];
  }
  // The first cell of local i.
  std::uint32_t local_cell(std::uint32_t i) const {
    const run_t& r = local_run(i);
    return r.cell_start + (i - (r.end - r.count)) * cells_of(r.t);
  }
  value_type local_type(std::uint32_t i) const { return local_run(i).t; }

  // ---- emission -------------------------------------------------------------
  bool live() const { return out_ != nullptr && !ctrls_.back().unreachable && !ctrls_.back().dead; }
  std::uint32_t here() const { return out_ ? static_cast<std::uint32_t>(out_->code.size()) : 0; }
  // The first cell of the operand-stack entry at height h (h <= the height).
  std::uint32_t cell(std::size_t h) const {
    if (h == 0) return local_cells_;
    const entry& e = vals_[h - 1];
    return e.base + cells_of(e.t);
  }
  // Cells of the top n entries.
  std::uint32_t top_cells(std::size_t n) const { return cell(vals_.size()) - cell(vals_.size() - n); }
  void word(std::uint32_t w) { out_->code.push_back(w); }
  void ptr(const void* p) {
    std::uint64_t v = reinterpret_cast<std::uintptr_t>(p);
    word(static_cast<std::uint32_t>(v));
    word(static_cast<std::uint32_t>(v >> 32));
  }
  // A word (type id) or two (pointer) naming one of the instance's objects,
  // listed so that another instance of the module can reuse the code.
  void ref(ref_kind k, std::uint32_t index) {
    code_ref r{here(), index, k};
    word(0);
    if (k != ref_kind::type_id) word(0);
    write_ref(out_->code.data(), r, out_->objects);
    out_->refs.push_back(r);
  }
  std::uint32_t begin(op o) {
    std::uint32_t at = here();
    std::uint64_t h = out_->handlers[static_cast<std::size_t>(o)];
    word(static_cast<std::uint32_t>(h));
    word(static_cast<std::uint32_t>(h >> 32));
    fusable_end_ = 0xffffffffu;
    insts_.push_back({at, o, last_start_ != 0xffffffffu});
    prev_op_ = last_op_;
    prev_start_ = last_start_;
    last_op_ = o;
    last_start_ = at;
    return at;
  }
  // Takes out the instruction just emitted (from `start`): the one before
  // it is the last again, for what follows to fuse with.
  void drop_last(std::uint32_t start) {
    out_->code.resize(start);
    while (!insts_.empty() && insts_.back().start >= start) insts_.pop_back();
    fusable_end_ = 0xffffffffu;
    const bool was_last = start == last_start_;
    last_op_ = was_last ? prev_op_ : op::count_;
    last_start_ = was_last ? prev_start_ : 0xffffffffu;
    prev_start_ = 0xffffffffu;
  }
  // An instruction whose first operand is the cell of a result at height h:
  // a following local.set may redirect it.
  void mark_result(std::uint32_t start, std::size_t h) {
    fusable_end_ = here();
    fusable_dest_ = start + 2;
    fusable_height_ = static_cast<std::uint32_t>(h);
    fusable_start_ = start;
    fusable_op_ = last_op_;
  }
  void label_here() {
    fusable_end_ = 0xffffffffu;
    last_start_ = prev_start_ = 0xffffffffu;  // nothing before a label fuses with what follows it
    block_open_ = false;
  }
  // Fuel: the first counted instruction of a basic block emits `fuel 0`, and
  // each counted instruction adds one to that cost. Labels and branches end
  // a block; the structure (block, loop, end, else, nop) costs nothing.
  void charge(std::uint8_t opcode) {
    if (!live() || opcode == instr::nop || opcode == instr::block || opcode == instr::loop || opcode == instr::else_ ||
        opcode == instr::end)
      return;
    if (!block_open_) {
      begin(op::fuel);
      cost_word_ = here();
      word(0);
      block_open_ = true;
    }
    ++out_->code[cost_word_];
  }

  // A branch condition: the i32 or i64 comparison that produced it, taken
  // back out of the code to be fused with the branch, or the cell that
  // holds it (`inverted`: the cell an i32.eqz tested, its own code taken out
  // too).
  struct condition {
    op fused = op::count_;  // the comparison fused into the branch, or count_: test `slot`
    std::uint32_t a = 0, b = 0, slot = 0;
    std::uint32_t b_hi = 0;  // the high word of an i64 constant b
    bool wide = false;       // b is an i64 constant (two words)
    bool inverted = false;
  };
  static op fused_branch(op cmp, bool negate) {
    struct pair_t {
      op cmp, yes, no;
    };
    static constexpr pair_t table[] = {
        {op::i32_eq, op::br_if_i32_eq, op::br_if_i32_ne},
        {op::i32_ne, op::br_if_i32_ne, op::br_if_i32_eq},
        {op::i32_lt_s, op::br_if_i32_lt_s, op::br_if_i32_ge_s},
        {op::i32_lt_u, op::br_if_i32_lt_u, op::br_if_i32_ge_u},
        {op::i32_gt_s, op::br_if_i32_gt_s, op::br_if_i32_le_s},
        {op::i32_gt_u, op::br_if_i32_gt_u, op::br_if_i32_le_u},
        {op::i32_le_s, op::br_if_i32_le_s, op::br_if_i32_gt_s},
        {op::i32_le_u, op::br_if_i32_le_u, op::br_if_i32_gt_u},
        {op::i32_ge_s, op::br_if_i32_ge_s, op::br_if_i32_lt_s},
        {op::i32_ge_u, op::br_if_i32_ge_u, op::br_if_i32_lt_u},
        {op::i32_eq_imm, op::br_if_i32_eq_imm, op::br_if_i32_ne_imm},
        {op::i32_ne_imm, op::br_if_i32_ne_imm, op::br_if_i32_eq_imm},
        {op::i32_lt_s_imm, op::br_if_i32_lt_s_imm, op::br_if_i32_ge_s_imm},
        {op::i32_lt_u_imm, op::br_if_i32_lt_u_imm, op::br_if_i32_ge_u_imm},
        {op::i32_gt_s_imm, op::br_if_i32_gt_s_imm, op::br_if_i32_le_s_imm},
        {op::i32_gt_u_imm, op::br_if_i32_gt_u_imm, op::br_if_i32_le_u_imm},
        {op::i32_le_s_imm, op::br_if_i32_le_s_imm, op::br_if_i32_gt_s_imm},
        {op::i32_le_u_imm, op::br_if_i32_le_u_imm, op::br_if_i32_gt_u_imm},
        {op::i32_ge_s_imm, op::br_if_i32_ge_s_imm, op::br_if_i32_lt_s_imm},
        {op::i32_ge_u_imm, op::br_if_i32_ge_u_imm, op::br_if_i32_lt_u_imm},
        {op::i64_eq, op::br_if_i64_eq, op::br_if_i64_ne},
        {op::i64_ne, op::br_if_i64_ne, op::br_if_i64_eq},
        {op::i64_lt_s, op::br_if_i64_lt_s, op::br_if_i64_ge_s},
        {op::i64_lt_u, op::br_if_i64_lt_u, op::br_if_i64_ge_u},
        {op::i64_gt_s, op::br_if_i64_gt_s, op::br_if_i64_le_s},
        {op::i64_gt_u, op::br_if_i64_gt_u, op::br_if_i64_le_u},
        {op::i64_le_s, op::br_if_i64_le_s, op::br_if_i64_gt_s},
        {op::i64_le_u, op::br_if_i64_le_u, op::br_if_i64_gt_u},
        {op::i64_ge_s, op::br_if_i64_ge_s, op::br_if_i64_lt_s},
        {op::i64_ge_u, op::br_if_i64_ge_u, op::br_if_i64_lt_u},
        {op::i64_eq_imm, op::br_if_i64_eq_imm, op::br_if_i64_ne_imm},
        {op::i64_ne_imm, op::br_if_i64_ne_imm, op::br_if_i64_eq_imm},
        {op::i64_lt_s_imm, op::br_if_i64_lt_s_imm, op::br_if_i64_ge_s_imm},
        {op::i64_lt_u_imm, op::br_if_i64_lt_u_imm, op::br_if_i64_ge_u_imm},
        {op::i64_gt_s_imm, op::br_if_i64_gt_s_imm, op::br_if_i64_le_s_imm},
        {op::i64_gt_u_imm, op::br_if_i64_gt_u_imm, op::br_if_i64_le_u_imm},
        {op::i64_le_s_imm, op::br_if_i64_le_s_imm, op::br_if_i64_gt_s_imm},
        {op::i64_le_u_imm, op::br_if_i64_le_u_imm, op::br_if_i64_gt_u_imm},
        {op::i64_ge_s_imm, op::br_if_i64_ge_s_imm, op::br_if_i64_lt_s_imm},
        {op::i64_ge_u_imm, op::br_if_i64_ge_u_imm, op::br_if_i64_lt_u_imm},
        {op::i32_and_eq_imm, op::br_if_i32_and_eq_imm, op::br_if_i32_and_ne_imm},
        {op::i32_and_ne_imm, op::br_if_i32_and_ne_imm, op::br_if_i32_and_eq_imm},
    };
    for (const auto& p : table)
      if (p.cmp == cmp) return negate ? p.no : p.yes;
    return op::count_;
  }
  // Takes the condition popped from height hc (call before anything else
  // is emitted after its producer).
  condition take_condition(std::size_t hc, const entry& c) {
    condition k;
    if (c.kind == in_cell && fusable_end_ == here() && fusable_height_ == hc &&
        fused_branch(fusable_op_, false) != op::count_) {
      k.fused = fusable_op_;
      k.a = out_->code[fusable_start_ + 3];
      k.b = out_->code[fusable_start_ + 4];
      k.wide = fusable_end_ - fusable_start_ == 6;  // `<cmp>_imm d a lo hi`, `i32_and_<eq|ne>_imm d a m k`
      if (k.wide) k.b_hi = out_->code[fusable_start_ + 5];
      drop_last(fusable_start_);
      return k;
    }
    if (const std::uint32_t* p = producer(hc, c, op::i32_and_imm)) {  // `br_if` on `x & m`: (x & m) != 0
      k.fused = op::i32_and_ne_imm;
      k.a = p[1];
      k.b = p[2];
      k.b_hi = 0;
      k.wide = true;
      drop_last(fusable_start_);
      return k;
    }
    if (c.kind == in_cell && fusable_end_ == here() && fusable_height_ == hc && fusable_op_ == op::i32_eqz) {
      k.slot = out_->code[fusable_start_ + 3];
      k.inverted = true;
      drop_last(fusable_start_);
      return k;
    }
    k.slot = slot_of(hc, c);
    return k;
  }
  // Emits a branch taken when the condition holds (or fails, with
  // `negate`); the offset word comes next. Returns the instruction's start.
  std::uint32_t branch_on(const condition& k, bool negate) {
    block_open_ = false;  // the fall-through is a block of its own
    std::uint32_t w[2];
    if (k.fused != op::count_) {
      const op b = fused_branch(k.fused, negate);
      const bool eq = b == op::br_if_i32_eq_imm;
      if ((eq || b == op::br_if_i32_ne_imm) && took_last(op::i32_and_imm, k.a, w)) {  // tests the `and` just made
        std::uint32_t s = begin(eq ? op::i32_and_imm_br_if_eq_imm : op::i32_and_imm_br_if_ne_imm);
        for (std::uint32_t v : {k.a, w[0], w[1], k.b}) word(v);
        return s;
      }
      if ((eq || b == op::br_if_i32_ne_imm) && took_copy(w[0], w[1])) {  // `copy d src` first, then the test
        std::uint32_t s = begin(eq ? op::copy_br_if_i32_eq_imm : op::copy_br_if_i32_ne_imm);
        for (std::uint32_t v : {w[0], w[1], k.a, k.b}) word(v);
        return s;
      }
      std::uint32_t s = begin(b);
      word(k.a);
      word(k.b);
      if (k.wide) word(k.b_hi);
      return s;
    }
    const bool nonzero = negate == k.inverted;  // branch when the slot is not zero
    std::uint32_t d, src;
    if (took_copy(d, src)) {  // `copy d src` first, then the test
      std::uint32_t s = begin(nonzero ? op::copy_br_if : op::copy_br_if_not);
      word(d);
      word(src);
      word(k.slot);
      return s;
    }
    // Tests the value the instruction before made (a sum, a load).
    static constexpr struct {
      op first, yes, no;
    } then_branch[] = {
        {op::i32_add_imm, op::i32_add_imm_br_if, op::i32_add_imm_br_if_not},
        {op::i32_load, op::i32_load_br_if, op::i32_load_br_if_not},
        {op::i32_load8_u, op::i32_load8_u_br_if, op::i32_load8_u_br_if_not},
    };
    for (const auto& t : then_branch) {
      if (!took_last(t.first, k.slot, w)) continue;
      std::uint32_t s = begin(nonzero ? t.yes : t.no);
      word(k.slot);
      word(w[0]);
      word(w[1]);
      return s;
    }
    std::uint32_t s = begin(nonzero ? op::br_if : op::br_if_not);
    word(k.slot);
    return s;
  }
  // True when the last instruction emitted is an `o` of n words with no
  // label after it.
  bool last_is(op o, std::uint32_t n) const {
    return last_op_ == o && last_start_ != 0xffffffffu && here() - last_start_ == n;
  }
  // Takes out the `copy d src` just emitted, for the branch that follows to
  // do it first.
  bool took_copy(std::uint32_t& d, std::uint32_t& src) {
    if (!last_is(op::copy, 4)) return false;
    d = out_->code[last_start_ + 2];
    src = out_->code[last_start_ + 3];
    drop_last(last_start_);
    return true;
  }

  // Takes out the `o dest a b` (five words) just emitted, for the
  // instruction that follows to do it first; a and b in w.
  bool took_last(op o, std::uint32_t dest, std::uint32_t (&w)[2]) {
    if (!last_is(o, 5) || out_->code[last_start_ + 2] != dest) return false;
    w[0] = out_->code[last_start_ + 3];
    w[1] = out_->code[last_start_ + 4];
    drop_last(last_start_);
    return true;
  }
  // A load `o d a off` of the entry e popped from height h (d: its cell),
  // fused with the instruction before it where code.hpp lists the pair.
  void emit_load(op o, std::size_t h, const entry& e, std::uint32_t off) {
    // A load from an address just computed: the sum wraps, then the offset.
    static constexpr struct {
      op load, add, add_imm, add_shl;
    } added[] = {
        {op::i32_load, op::i32_add_load, op::i32_add_imm_load, op::i32_add_shl_load},
        {op::i32_load8_u, op::i32_add_load8_u, op::i32_add_imm_load8_u, op::i32_add_shl_load8_u},
        {op::i32_load16_u, op::i32_add_load16_u, op::i32_add_imm_load16_u, op::i32_add_shl_load16_u},
        {op::i32_load16_s, op::i32_add_load16_s, op::i32_add_imm_load16_s, op::i32_add_shl_load16_s},
    };
    for (const auto& t : added) {
      if (t.load != o) continue;
      if (const std::uint32_t* p = producer(h, e, op::i32_add)) {
        fuse_into(t.add, h, {p[1], p[2], off});
        return;
      }
      if (const std::uint32_t* p = producer(h, e, op::i32_add_imm)) {
        fuse_into(t.add_imm, h, {p[1], p[2], off});
        return;
      }
      if (const std::uint32_t* p = producer(h, e, op::i32_add_shl_imm)) {
        fuse_into(t.add_shl, h, {p[1], p[2], p[3], off});
        return;
      }
    }
    const std::uint32_t d = cell(h), a = slot_of(h, e);
    std::uint32_t w[2], s;
    const op after_load = o == op::i32_load       ? op::i32_load_load
                          : o == op::i32_load8_u  ? op::i32_load_load8_u
                          : o == op::i32_load16_u ? op::i32_load_load16_u
                                                  : op::count_;
    if (o == op::i32_load && took_copy(w[0], w[1])) {
      s = begin(op::copy_i32_load);
      for (std::uint32_t v : {d, a, off, w[0], w[1]}) word(v);
    } else if (after_load != op::count_ && took_last(op::i32_load, a, w)) {  // loads through the address just loaded
      s = begin(after_load);
      for (std::uint32_t v : {d, w[0], w[1], a, off}) word(v);
    } else {
      s = begin(o);
      for (std::uint32_t v : {d, a, off}) word(v);
    }
    mark_result(s, h);
  }

  // The operands (after the handler words; the result's cell first) of the
  // instruction just emitted, when it is an `o` whose result is the entry
  // `e` at height h and nothing came after it: the instruction that uses the
  // entry may take its place, fused with it. Null otherwise.
  const std::uint32_t* producer(std::size_t h, const entry& e, op o) const {
    if (e.kind != in_cell || fusable_end_ != here() || fusable_height_ != h || fusable_op_ != o) return nullptr;
    return out_->code.data() + fusable_start_ + 2;
  }
  // Replaces the producer just emitted with `o d w...` (d: the cell of
  // height h), whose result a local.set may redirect.
  void fuse_into(op o, std::size_t h, std::initializer_list<std::uint32_t> operands) {
    std::uint32_t ws[4];
    std::size_t n = 0;
    for (std::uint32_t w : operands) ws[n++] = w;  // read before the producer goes
    drop_last(fusable_start_);
    std::uint32_t s = begin(o);
    word(cell(h));
    for (std::size_t i = 0; i < n; ++i) word(ws[i]);
    mark_result(s, h);
  }
  // i32 operations that take the place of the instruction producing one of
  // their operands (code.hpp lists the pairs). True when emitted.
  bool fused_unary(op o, std::size_t h, const entry& a) {
    if (o != op::i32_eqz) return false;
    const std::uint32_t* p = producer(h, a, op::i32_and_imm);  // (x & m) == 0
    if (p == nullptr) return false;
    fuse_into(op::i32_and_eq_imm, h, {p[1], p[2], 0});
    return true;
  }
  bool fused_binary(op o, std::size_t ha, const entry& a, std::size_t hb, const entry& b) {
    if (o == op::i32_and && b.kind == constant) {
      if (const std::uint32_t* p = producer(ha, a, op::i32_shr_u_imm)) {  // (x >> s) & m
        fuse_into(op::i32_shr_u_and_imm, ha, {p[1], p[2] & 31, static_cast<std::uint32_t>(b.imm)});
        return true;
      }
    }
    if ((o == op::i32_eq || o == op::i32_ne) && b.kind == constant) {
      if (const std::uint32_t* p = producer(ha, a, op::i32_and_imm)) {  // (x & m) == k
        fuse_into(o == op::i32_eq ? op::i32_and_eq_imm : op::i32_and_ne_imm, ha,
                  {p[1], p[2], static_cast<std::uint32_t>(b.imm)});
        return true;
      }
    }
    if (o == op::i32_and && b.kind == constant) {
      if (const std::uint32_t* p = producer(ha, a, op::i32_add_imm)) {  // (x + k) & m
        fuse_into(op::i32_add_and_imm, ha, {p[1], p[2], static_cast<std::uint32_t>(b.imm)});
        return true;
      }
    }
    if (o == op::i32_add && a.kind != constant && b.kind != constant) {  // x + (y << s)
      if (const std::uint32_t* p = producer(hb, b, op::i32_shl_imm)) {
        fuse_into(op::i32_add_shl_imm, ha, {a.slot, p[1], p[2] & 31});
        return true;
      }
      if (const std::uint32_t* p = producer(ha, a, op::i32_shl_imm)) {
        fuse_into(op::i32_add_shl_imm, ha, {b.slot, p[1], p[2] & 31});
        return true;
      }
    }
    if (o == op::i32_xor && a.kind != constant && b.kind != constant) {  // (x >> s) ^ y
      if (const std::uint32_t* p = producer(ha, a, op::i32_shr_u_imm)) {
        fuse_into(op::i32_shr_u_xor, ha, {p[1], p[2] & 31, b.slot});
        return true;
      }
      if (const std::uint32_t* p = producer(hb, b, op::i32_shr_u_imm)) {
        fuse_into(op::i32_shr_u_xor, ha, {p[1], p[2] & 31, a.slot});
        return true;
      }
    }
    if (o == op::i32_shl && b.kind == constant) {
      if (const std::uint32_t* p = producer(ha, a, op::i32_and_imm)) {  // (x & m) << s
        fuse_into(op::i32_and_shl_imm, ha, {p[1], p[2], static_cast<std::uint32_t>(b.imm) & 31});
        return true;
      }
    }
    if (o == op::i32_add && b.kind == constant) {
      if (const std::uint32_t* p = producer(ha, a, op::i32_load)) {  // load(x + off) + k
        fuse_into(op::i32_load_add_imm, ha, {p[1], p[2], static_cast<std::uint32_t>(b.imm)});
        return true;
      }
    }
    if (o == op::i32_add && b.kind == constant && a.kind != constant &&
        last_is(op::i32_add_imm, 5)) {  // two additions of a constant in a row
      const std::uint32_t* p = out_->code.data() + last_start_ + 2;
      std::uint32_t first[3] = {p[0], p[1], p[2]};
      drop_last(last_start_);
      std::uint32_t s = begin(op::i32_add_imm_pair);
      word(cell(ha));
      word(a.slot);
      word(static_cast<std::uint32_t>(b.imm));
      for (std::uint32_t w : first) word(w);
      mark_result(s, ha);
      return true;
    }
    if (o == op::i32_add && a.kind != constant && b.kind != constant) {  // x * y + z
      if (const std::uint32_t* p = producer(ha, a, op::i32_mul)) {
        fuse_into(op::i32_mul_add, ha, {p[1], p[2], b.slot});
        return true;
      }
      if (const std::uint32_t* p = producer(hb, b, op::i32_mul)) {
        fuse_into(op::i32_mul_add, ha, {p[1], p[2], a.slot});
        return true;
      }
    }
    return false;
  }

  void materialize(std::size_t h) {
    entry& e = vals_[h];
    if (e.kind == in_cell) return;
    if (live()) {
      if (e.kind == in_local) {
        emit_copy(cell(h), e.slot, e.t);
      } else {
        const_operand(h, e);
      }
    }
    e.kind = in_cell;
    e.slot = cell(h);
  }
  void materialize_from(std::size_t h) {
    for (std::size_t i = h; i < vals_.size(); ++i) materialize(i);
  }
  void emit_copy(std::uint32_t d, std::uint32_t s, value_type t) {
    if (t != value_type::v128 && last_is(op::copy, 4)) {  // two copies in a row, in their order
      std::uint32_t first[2] = {out_->code[last_start_ + 2], out_->code[last_start_ + 3]};
      drop_last(last_start_);
      begin(op::copy_pair);
      for (std::uint32_t v : {first[0], first[1], d, s}) word(v);
      return;
    }
    if (t != value_type::v128 && last_is(op::const32, 4)) {  // the constant first, then the copy
      std::uint32_t k[2] = {out_->code[last_start_ + 2], out_->code[last_start_ + 3]};
      drop_last(last_start_);
      begin(op::const32_copy);
      for (std::uint32_t v : {k[0], k[1], d, s}) word(v);
      return;
    }
    begin(t == value_type::v128 ? op::copy128 : op::copy);
    word(d);
    word(s);
  }

  // ---- the operand stack ---------------------------------------------------
  void push(value_type t) {
    std::uint32_t c = cell(vals_.size());
    vals_.push_back({t, in_cell, c, 0, c});
    std::uint32_t top = c + cells_of(t) - local_cells_;
    if (top > max_height_) max_height_ = top;
  }
  void push_const(value_type t, std::uint64_t v) {
    push(t);
    vals_.back().kind = constant;
    vals_.back().imm = v;
  }
  // Pops one value of type `want` (any_type: any); its height goes to *h.
  bool pop(std::size_t at, value_type want, value_type* got = nullptr, std::size_t* h = nullptr) {
    ctrl& c = ctrls_.back();
    if (vals_.size() == c.height) {
      if (!c.unreachable) return invalid(at, "type mismatch: expected %s, got nothing", name(want));
      if (got) *got = static_cast<value_type>(any_type);
      if (h) *h = vals_.size();
      return true;
    }
    value_type t = vals_.back().t;
    if (static_cast<std::uint8_t>(want) != any_type && static_cast<std::uint8_t>(t) != any_type && t != want)
      return invalid(at, "type mismatch: expected %s, got %s", name(want), name(t));
    popped_ = vals_.back();
    vals_.pop_back();
    if (got) *got = t;
    if (h) *h = vals_.size();
    return true;
  }
  // Pops the types of `ts` (last first).
  bool pop_all(std::size_t at, const std::vector<value_type>& ts) {
    for (std::size_t i = ts.size(); i-- > 0;)
      if (!pop(at, ts[i])) return false;
    return true;
  }
  // Checks, without popping, that the top of the stack has the types `ts`.
  bool check_top(std::size_t at, const std::vector<value_type>& ts) {
    ctrl& c = ctrls_.back();
    std::size_t n = ts.size();
    for (std::size_t i = 0; i < n; ++i) {
      value_type want = ts[n - 1 - i];
      if (vals_.size() < c.height + i + 1) {
        if (c.unreachable) return true;
        return invalid(at, "type mismatch: expected %s, got nothing", name(want));
      }
      value_type t = vals_[vals_.size() - 1 - i].t;
      if (static_cast<std::uint8_t>(t) != any_type && t != want)
        return invalid(at, "type mismatch: expected %s, got %s", name(want), name(t));
    }
    return true;
  }

  // ---- control ------------------------------------------------------------
  bool block_type(reader& in, std::vector<value_type>& params, std::vector<value_type>& results) {
    std::size_t at = in.pos();
    if (in.at_end()) return in.eof("block type");
    std::uint8_t b = in.base()[in.pos()];
    if (b == type_code::empty_block) return in.skip(1, "block type");
    if (b == type_code::i32 || b == type_code::i64 || b == type_code::f32 || b == type_code::f64 ||
        b == type_code::v128 || b == type_code::funcref || b == type_code::externref) {
      in.skip(1, "block type");
      results.push_back(static_cast<value_type>(b));
      return true;
    }
    std::int64_t idx;
    if (!in.s33(idx, "block type")) return false;
    if (idx < 0) return in.malformed(at, "malformed block type");
    if (static_cast<std::uint64_t>(idx) >= m_.types.size()) return invalid(at, "unknown type");
    params = m_.types[idx].params;
    results = m_.types[idx].results;
    return true;
  }

  bool open(std::size_t at, std::uint8_t kind, std::vector<value_type>&& params, std::vector<value_type>&& results) {
    if (!check_top(at, params)) return false;
    // Every entry below the new label, and its parameters, live in their own
    // cells from now on, so every path into the label agrees on where values are.
    materialize_from(0);
    if (!pop_all(at, params)) return false;
    ctrl c;
    c.kind = kind;
    c.height = static_cast<std::uint32_t>(vals_.size());
    c.dead = ctrls_.back().unreachable || ctrls_.back().dead;
    c.params = static_cast<std::vector<value_type>&&>(params);
    c.results = static_cast<std::vector<value_type>&&>(results);
    if (out_) {
      c.loop_start = here();
      if (kind == 3)
        fusable_end_ = 0xffffffffu;  // an if's start is no label: its branch may take in the instruction before
      else
        label_here();
    }
    ctrls_.push_back(static_cast<ctrl&&>(c));
    for (auto t : ctrls_.back().params) push(t);
    if (kind == 2 && live() && out_->interruptible) begin(op::poll);
    return true;
  }

  // Marks the rest of the current block unreachable.
  void unreachable_rest() {
    ctrl& c = ctrls_.back();
    vals_.resize(c.height);
    c.unreachable = true;
  }

  // Moves the top n values to the label of ctrls_[depth] and jumps there.
  // Used by br, and by br_if/br_table through their stubs.
  void emit_branch(std::size_t target) {
    ctrl& l = ctrls_[target];
    const auto& types = l.label_types();
    std::size_t n = types.size();
    std::size_t from = vals_.size() - n;
    if (target == 0) {  // the function's label: a return
      begin(op::ret);
      word(cell(from));
      word(top_cells(n));
      return;
    }
    if (from != l.height && n > 0) {
      begin(op::move);
      word(cell(l.height));
      word(cell(from));
      word(top_cells(n));
    }
    std::uint32_t d, src, s;
    if (took_copy(d, src)) {  // `copy d src`, then the jump
      s = begin(op::copy_br);
      word(d);
      word(src);
    } else {
      s = begin(op::br);
    }
    branch_to(target, s);
  }
  // Writes (or records) the offset word of a branch to ctrls_[target].
  void branch_to(std::size_t target, std::uint32_t start) {
    ctrl& l = ctrls_[target];
    std::uint32_t w = here();
    word(0);
    if (l.kind == 2)
      out_->code[w] = static_cast<std::uint32_t>(static_cast<std::int32_t>(l.loop_start - start));
    else
      l.patches.push_back({w, start});
  }
  void resolve(std::vector<patch>& ps) {
    if (!out_) return;
    std::uint32_t at = here();
    for (auto& p : ps) out_->code[p.word] = at - p.start;
    ps.clear();
  }
  bool label_arity_ok(std::size_t at, std::size_t depth) {
    if (depth >= ctrls_.size()) return invalid(at, "unknown label %zu", depth);
    return true;
  }

  bool end_block(std::size_t at) {
    ctrl& c = ctrls_.back();
    if (!check_top(at, c.results)) return false;
    if (vals_.size() > c.height + c.results.size() && !c.unreachable)
      return invalid(at, "type mismatch: %zu values left on the stack at the end of a block",
                     static_cast<std::size_t>(vals_.size() - c.height - c.results.size()));
    if (vals_.size() > c.height + c.results.size())
      return invalid(at, "type mismatch: values left on the stack at the end of a block");
    if (c.kind == 3 && c.params != c.results)
      return invalid(at, "type mismatch: if without else must leave its parameters as results");
    if (c.kind == 0) {
      if (live()) {
        materialize_from(c.height);
        begin(op::ret);
        word(cell(c.height));
        word(cells_of(c.results));
      }
      ctrls_.pop_back();
      return true;
    }
    if (live()) materialize_from(c.height);
    if (out_) {
      if (c.kind == 3 && c.else_patch.word != 0xffffffffu) {
        // if without else: the false path lands here with its parameters in place.
        out_->code[c.else_patch.word] = here() - c.else_patch.start;
      }
      resolve(c.patches);
      label_here();
    }
    std::vector<value_type> results = static_cast<std::vector<value_type>&&>(c.results);
    std::uint32_t h = c.height;
    ctrls_.pop_back();
    vals_.resize(h);
    for (auto t : results) push(t);
    return true;
  }

  bool else_block(std::size_t at) {
    ctrl& c = ctrls_.back();
    if (c.kind != 3) return invalid(at, "else without if");
    if (!check_top(at, c.results)) return false;
    if (vals_.size() != c.height + c.results.size() && !(c.unreachable && vals_.size() <= c.height + c.results.size()))
      return invalid(at, "type mismatch: values left on the stack at else");
    if (live()) {
      materialize_from(c.height);
      std::uint32_t s = begin(op::br);
      branch_to(ctrls_.size() - 1, s);
    }
    if (out_ && c.else_patch.word != 0xffffffffu) {
      out_->code[c.else_patch.word] = here() - c.else_patch.start;
      c.else_patch.word = 0xffffffffu;
      label_here();
    }
    c.kind = 4;
    vals_.resize(c.height);
    c.unreachable = false;
    for (auto t : c.params) push(t);
    return true;
  }

  // ---- one instruction -----------------------------------------------------
  bool instruction(reader& in);
  bool misc(reader& in, std::size_t at);
  bool simd(reader& in, std::size_t at);
  bool lane_index(reader& in, std::size_t at, unsigned lanes, std::uint8_t& lane) {
    if (!in.byte(lane, "lane index")) return false;
    if (lane >= lanes) return invalid(at, "invalid lane index %u", static_cast<unsigned>(lane));
    return true;
  }
  bool simd_op(std::size_t at, op o, std::initializer_list<value_type> ins, value_type out_t,
               std::initializer_list<std::uint32_t> imms = {});
  bool memarg(reader& in, std::size_t at, unsigned natural, std::uint32_t& offset) {
    std::uint32_t align;
    if (!in.u32(align, "memory alignment") || !in.u32(offset, "memory offset")) return false;
    if (m_.all_memories.empty()) return invalid(at, "unknown memory 0");
    if (align > natural) return invalid(at, "alignment must not be larger than natural");
    return true;
  }
  bool need_memory(std::size_t at) {
    if (m_.all_memories.empty()) return invalid(at, "unknown memory 0");
    return true;
  }
  bool need_table(std::size_t at, std::uint32_t t) {
    if (t >= m_.all_tables.size()) return invalid(at, "unknown table %u", static_cast<unsigned>(t));
    return true;
  }

  bool unary(std::size_t at, op o, value_type in_t, value_type out_t) {
    std::size_t h = 0;
    if (!pop(at, in_t, nullptr, &h)) return false;
    entry a = popped_;
    if (live() && !fused_unary(o, h, a)) {
      std::uint32_t sa = slot_of(h, a);
      std::uint32_t s = begin(o);
      word(cell(h));
      word(sa);
      mark_result(s, h);
    }
    push(out_t);
    return true;
  }
  bool binary(std::size_t at, op o, value_type in_t, value_type out_t) {
    std::size_t hb = 0, ha = 0;
    if (!pop(at, in_t, nullptr, &hb)) return false;
    entry b = popped_;
    if (!pop(at, in_t, nullptr, &ha)) return false;
    entry a = popped_;
    if (live() && fused_binary(o, ha, a, hb, b)) {
      push(out_t);
      return true;
    }
    if (live()) {
      // A constant operand goes into the instruction (`<op>_imm d a v`, an
      // i64 one in two words), the first one by swapping the operands where
      // the result allows.
      const immediate_form* f = immediate_form_of(o);
      if (f != nullptr && b.kind == constant && a.kind != constant) {
        std::uint32_t s = begin(f->second);
        word(cell(ha));
        word(a.slot);
        imm_words(in_t, b.imm);
        mark_result(s, ha);
      } else if (f != nullptr && a.kind == constant && b.kind != constant && f->first != op::count_) {
        std::uint32_t s = begin(f->first);
        word(cell(ha));
        word(b.slot);
        imm_words(in_t, a.imm);
        mark_result(s, ha);
      } else {
        std::uint32_t sa = slot_of(ha, a);
        std::uint32_t sb = slot_of(hb, b);
        std::uint32_t s = begin(o);
        word(cell(ha));
        word(sa);
        word(sb);
        mark_result(s, ha);
      }
    }
    push(out_t);
    return true;
  }
  void imm_words(value_type t, std::uint64_t v) {
    word(static_cast<std::uint32_t>(v));
    if (t == value_type::i64) word(static_cast<std::uint32_t>(v >> 32));
  }
  // The forms of an i32 or i64 operation with a constant operand: `second` when
  // the constant is b, `first` when it is a (count_: none, the operation
  // does not commute).
  struct immediate_form {
    op o, second, first;
  };
  static const immediate_form* immediate_form_of(op o) {
    static constexpr immediate_form table[] = {
        {op::i32_eq, op::i32_eq_imm, op::i32_eq_imm},       {op::i32_ne, op::i32_ne_imm, op::i32_ne_imm},
        {op::i32_lt_s, op::i32_lt_s_imm, op::i32_gt_s_imm}, {op::i32_lt_u, op::i32_lt_u_imm, op::i32_gt_u_imm},
        {op::i32_gt_s, op::i32_gt_s_imm, op::i32_lt_s_imm}, {op::i32_gt_u, op::i32_gt_u_imm, op::i32_lt_u_imm},
        {op::i32_le_s, op::i32_le_s_imm, op::i32_ge_s_imm}, {op::i32_le_u, op::i32_le_u_imm, op::i32_ge_u_imm},
        {op::i32_ge_s, op::i32_ge_s_imm, op::i32_le_s_imm}, {op::i32_ge_u, op::i32_ge_u_imm, op::i32_le_u_imm},
        {op::i32_add, op::i32_add_imm, op::i32_add_imm},    {op::i32_sub, op::i32_sub_imm, op::count_},
        {op::i32_mul, op::i32_mul_imm, op::i32_mul_imm},    {op::i32_and, op::i32_and_imm, op::i32_and_imm},
        {op::i32_or, op::i32_or_imm, op::i32_or_imm},       {op::i32_xor, op::i32_xor_imm, op::i32_xor_imm},
        {op::i32_shl, op::i32_shl_imm, op::count_},         {op::i32_shr_s, op::i32_shr_s_imm, op::count_},
        {op::i32_shr_u, op::i32_shr_u_imm, op::count_},     {op::i64_eq, op::i64_eq_imm, op::i64_eq_imm},
        {op::i64_ne, op::i64_ne_imm, op::i64_ne_imm},       {op::i64_lt_s, op::i64_lt_s_imm, op::i64_gt_s_imm},
        {op::i64_lt_u, op::i64_lt_u_imm, op::i64_gt_u_imm}, {op::i64_gt_s, op::i64_gt_s_imm, op::i64_lt_s_imm},
        {op::i64_gt_u, op::i64_gt_u_imm, op::i64_lt_u_imm}, {op::i64_le_s, op::i64_le_s_imm, op::i64_ge_s_imm},
        {op::i64_le_u, op::i64_le_u_imm, op::i64_ge_u_imm}, {op::i64_ge_s, op::i64_ge_s_imm, op::i64_le_s_imm},
        {op::i64_ge_u, op::i64_ge_u_imm, op::i64_le_u_imm}, {op::i64_add, op::i64_add_imm, op::i64_add_imm},
        {op::i64_sub, op::i64_sub_imm, op::count_},         {op::i64_mul, op::i64_mul_imm, op::i64_mul_imm},
        {op::i64_and, op::i64_and_imm, op::i64_and_imm},    {op::i64_or, op::i64_or_imm, op::i64_or_imm},
        {op::i64_xor, op::i64_xor_imm, op::i64_xor_imm},    {op::i64_shl, op::i64_shl_imm, op::count_},
        {op::i64_shr_s, op::i64_shr_s_imm, op::count_},     {op::i64_shr_u, op::i64_shr_u_imm, op::count_},
    };
    for (const auto& f : table)
      if (f.o == o) return &f;
    return nullptr;
  }
  // Writes a popped constant into the cell of its height; returns that cell.
  std::uint32_t const_operand(std::size_t h, const entry& e) {
    if (e.t == value_type::i32 || e.t == value_type::f32) {
      begin(op::const32);
      word(cell(h));
      word(static_cast<std::uint32_t>(e.imm));
    } else {
      begin(op::const64);
      word(cell(h));
      word(static_cast<std::uint32_t>(e.imm));
      word(static_cast<std::uint32_t>(e.imm >> 32));
    }
    return cell(h);
  }
  // The slot of a popped entry (constants written to their cell first).
  std::uint32_t slot_of(std::size_t h, const entry& e) { return e.kind == constant ? const_operand(h, e) : e.slot; }

  bool call_like(std::size_t at, const func_type& t, bool tail, bool indirect, std::uint32_t target,
                 std::uint32_t type_index);
  bool branch_if(reader& in, std::size_t at);
  bool branch_table(reader& in, std::size_t at);

  const body_context& ctx_;
  const module& m_;
  std::uint32_t index_;
  refusal& r_;
  emitter* out_;
  const func_type* type_ = nullptr;
  std::vector<run_t> local_runs_;
  std::uint32_t nlocals_ = 0;      // parameters and locals
  std::uint32_t local_cells_ = 0;  // their cells
  std::vector<entry> vals_;
  std::vector<ctrl> ctrls_;
  entry popped_{};
  std::uint32_t max_height_ = 0;
  std::uint32_t fusable_end_ = 0xffffffffu, fusable_dest_ = 0, fusable_height_ = 0, fusable_start_ = 0;
  op fusable_op_ = op::count_, last_op_ = op::count_, prev_op_ = op::count_;
  std::uint32_t last_start_ = 0xffffffffu;  // the last instruction's first word, unless a label follows it
  std::uint32_t prev_start_ = 0xffffffffu;  // the one before it, unless a label follows that
  std::vector<emitted> insts_;              // the instructions emitted, in order
  bool block_open_ = false;                 // a `fuel` instruction charges the current basic block
  std::uint32_t cost_word_ = 0;             // its cost word
};

}  // namespace vitte::wasm::detail

#include <vitte/wasm/impl/compile_ops.ipp>
#include <vitte/wasm/impl/compile_simd.ipp>

#endif  // VITTE_WASM_IMPL_COMPILE_IPP
