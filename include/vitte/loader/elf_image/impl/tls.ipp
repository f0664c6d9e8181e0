// Thread-local storage of images: vitte's own module ids, a block per
// thread and module allocated on first use (threads that existed before the
// load included), __tls_get_addr for the general- and local-dynamic models
// (x86_64, 32-bit Arm, RISC-V 64) and the TLS descriptor resolvers of AArch64, x86_64
// and 32-bit Arm. A module
// id is freed, with every thread's block of it, when its image closes.
// Thread-locals of modules the C library loaded (an image's imports, bound
// by impl/tls_imports.ipp) carry the C library's module id tagged with
// tls_foreign: both entry points pass them on to its __tls_get_addr.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_TLS_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_TLS_IPP

#include <vitte/sys/mutex.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>  // std::aligned_alloc, std::free
#include <cstring>
#include <mutex>  // std::lock_guard
#include <vector>

namespace vitte::loader::elf_image::detail {

/// What the image's GOT holds for a TLS access (the ABI's tls_index).
struct tls_index {
  std::uintptr_t module;
  std::uintptr_t offset;
};

/// One image's TLS template (PT_TLS), as the registry keeps it.
struct tls_template {
  const std::byte* init = nullptr;  // in the mapped image
  std::size_t init_size = 0;
  std::size_t size = 0;
  std::size_t align = 1;
  bool used = false;
};

/// The bit that tags a module id of the C library's (the host, a library
/// it loaded) in a tls_index, so that it never collides with vitte's ids.
inline constexpr std::uintptr_t tls_foreign = std::uintptr_t{1} << (8 * sizeof(std::uintptr_t) - 1);
/// The module of a tls_index whose offset counts from the thread pointer:
/// a foreign thread-local where the process has no __tls_get_addr (a
/// static host, whose TLS is all static). Id 0 is no module's.
inline constexpr std::uintptr_t tls_from_thread_pointer = tls_foreign;

/// The C library's __tls_get_addr (a tls_index of its own ids).
using tls_get_addr_fn = void* (*)(tls_index*);

struct tls_thread;

/// Every image's TLS template and every thread's blocks; one per process.
struct tls_registry {
  sys::mutex lock;
  std::vector<tls_template> modules{tls_template{}};  // id 0 is never given
  tls_thread* threads = nullptr;                      // a list through tls_thread::next
  std::atomic<tls_get_addr_fn> os_get_addr{nullptr};  // set before a foreign id is bound

  static tls_registry& get() noexcept {
    static tls_registry r;
    return r;
  }
};

/// One thread's blocks, by module id; freed at thread exit.
struct tls_thread {
  std::vector<std::byte*> blocks;  // resized by its own thread only, under the registry's lock
  tls_thread* next = nullptr;
  tls_thread* prev = nullptr;
  bool listed = false;

  ~tls_thread() {
    if (!listed) return;
    tls_registry& r = tls_registry::get();
    std::lock_guard<sys::mutex> g(r.lock);
    for (std::byte* b : blocks) std::free(b);
    blocks.clear();
    (prev != nullptr ? prev->next : r.threads) = next;
    if (next != nullptr) next->prev = prev;
  }
};

VITTE_DECL tls_thread& this_tls_thread() noexcept {
  thread_local tls_thread t;
  return t;
}

/// Gives the template a module id (1, 2, ...; freed ids are reused).
VITTE_DECL std::uintptr_t tls_register(const tls_template& t) {
  tls_registry& r = tls_registry::get();
  std::lock_guard<sys::mutex> g(r.lock);
  for (std::size_t i = 1; i < r.modules.size(); ++i)
    if (!r.modules[i].used) {
      r.modules[i] = t;
      r.modules[i].used = true;
      return i;
    }
  r.modules.push_back(t);
  r.modules.back().used = true;
  return r.modules.size() - 1;
}

/// Frees module id `id` and every thread's block of it.
VITTE_DECL void tls_unregister(std::uintptr_t id) noexcept {
  tls_registry& r = tls_registry::get();
  std::lock_guard<sys::mutex> g(r.lock);
  for (tls_thread* t = r.threads; t != nullptr; t = t->next)
    if (id < t->blocks.size()) {
      std::free(t->blocks[id]);
      t->blocks[id] = nullptr;
    }
  if (id < r.modules.size()) r.modules[id] = tls_template{};
}

/// The calling thread's block of module `id`, made now when it has none;
/// null when memory runs out or the id is not a module's.
VITTE_DECL std::byte* tls_block_slow(std::uintptr_t id) noexcept {
  tls_thread& t = this_tls_thread();
  tls_registry& r = tls_registry::get();
  std::lock_guard<sys::mutex> g(r.lock);
  if (id == 0 || id >= r.modules.size() || !r.modules[id].used) return nullptr;
  const tls_template& m = r.modules[id];
  if (!t.listed) {
    t.next = r.threads;
    if (r.threads != nullptr) r.threads->prev = &t;
    r.threads = &t;
    t.listed = true;
  }
  if (t.blocks.size() <= id) t.blocks.resize(id + 1, nullptr);
  std::size_t align = m.align < sizeof(void*) ? sizeof(void*) : m.align;
  std::size_t size = (m.size + align - 1) / align * align;
  auto* b = static_cast<std::byte*>(std::aligned_alloc(align, size == 0 ? align : size));
  if (b == nullptr) return nullptr;
  if (m.init_size != 0) std::memcpy(b, m.init, m.init_size);
  std::memset(b + m.init_size, 0, size - m.init_size);
  t.blocks[id] = b;
  return b;
}

/// What __tls_get_addr adds to a tls_index's offset, and DTPREL
/// relocations subtract from a symbol's: RISC-V biases dynamic TLS offsets
/// by 0x800 (TLS_DTV_OFFSET in its psABI: a 12-bit signed immediate then
/// reaches the first 4 KiB of a block); 0 elsewhere.
inline constexpr std::uintptr_t tls_dtv_offset =
#if defined(__riscv)
    0x800;
#else
    0;
#endif

/// The address of `offset` in the calling thread's block of module `id`.
VITTE_DECL void* tls_address(std::uintptr_t id, std::uintptr_t offset) noexcept {
  tls_thread& t = this_tls_thread();
  std::byte* b = id < t.blocks.size() ? t.blocks[id] : nullptr;
  if (b == nullptr) b = tls_block_slow(id);
  return b != nullptr ? b + offset : nullptr;
}

/// The module id and block offset of `address` when it lies in one of
/// the calling thread's blocks of an image (what image::symbol gives for
/// a thread-local); false otherwise.
VITTE_DECL bool tls_locate(const void* address, std::uintptr_t& id, std::uintptr_t& offset) noexcept {
  tls_thread& t = this_tls_thread();
  tls_registry& r = tls_registry::get();
  std::lock_guard<sys::mutex> g(r.lock);
  const auto a = reinterpret_cast<std::uintptr_t>(address);
  for (std::size_t i = 1; i < t.blocks.size() && i < r.modules.size(); ++i) {
    const auto b = reinterpret_cast<std::uintptr_t>(t.blocks[i]);
    if (b == 0 || !r.modules[i].used || a < b || a - b >= (r.modules[i].size == 0 ? 1 : r.modules[i].size)) continue;
    id = i, offset = a - b;
    return true;
  }
  return false;
}

/// The thread pointer the TLS ABI's offsets count from.
VITTE_DECL std::uintptr_t thread_pointer() noexcept {
  std::uintptr_t tp = 0;
#if defined(__aarch64__)
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
#elif defined(__x86_64__)
  __asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
#elif defined(__arm__) && defined(__ELF__) && defined(__ARM_PCS_VFP)
  __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(tp));  // TPIDRURO
#elif defined(__riscv)
  __asm__ volatile("mv %0, tp" : "=r"(tp));
#endif
  return tp;
}

/// The address in the calling thread of a foreign tls_index (its module
/// tagged with tls_foreign; its offset as __tls_get_addr takes it): the C
/// library's __tls_get_addr answers for its own module id, the thread
/// pointer for tls_from_thread_pointer.
VITTE_DECL void* tls_foreign_address(const tls_index* ti) noexcept {
  if (ti->module == tls_from_thread_pointer)
    return reinterpret_cast<void*>(thread_pointer() + ti->offset + tls_dtv_offset);
  tls_index os{ti->module & ~tls_foreign, ti->offset};
  return tls_registry::get().os_get_addr.load(std::memory_order_relaxed)(&os);
}

}  // namespace vitte::loader::elf_image::detail

/// __tls_get_addr, as images import it (general and local dynamic models).
#if defined(__x86_64__)
__attribute__((force_align_arg_pointer))
#endif
VITTE_DECL void*
vitte_image_tls_get_addr(vitte::loader::elf_image::detail::tls_index* ti) noexcept {
  namespace d = vitte::loader::elf_image::detail;
  if ((ti->module & d::tls_foreign) != 0) return d::tls_foreign_address(ti);
  return d::tls_address(ti->module, ti->offset + d::tls_dtv_offset);
}

#if (defined(__aarch64__) || defined(__x86_64__) || defined(__arm__)) && defined(__ELF__)
/// What every TLS descriptor resolver below calls: the offset from the
/// thread pointer of the variable the descriptor's argument (a tls_index)
/// names, in the calling thread (its block made on first use).
extern "C" __attribute__((used)) VITTE_DECL std::intptr_t vitte_image_tlsdesc_slow(
    vitte::loader::elf_image::detail::tls_index* ti) noexcept {
  namespace d = vitte::loader::elf_image::detail;
  void* a = (ti->module & d::tls_foreign) != 0 ? d::tls_foreign_address(ti) : d::tls_address(ti->module, ti->offset);
  return static_cast<std::intptr_t>(reinterpret_cast<std::uintptr_t>(a) - d::thread_pointer());
}
#endif

#if defined(__aarch64__) && defined(__ELF__)
// The resolver a TLSDESC relocation installs: x0 holds the descriptor; it
// returns the offset from tpidr_el0 in x0 and keeps every other register,
// SIMD registers included, as the descriptor ABI requires. One copy per
// program (a COMDAT group).
__asm__(
    ".pushsection .text.vitte_image_tlsdesc,\"axG\",@progbits,vitte_image_tlsdesc,comdat\n"
    ".weak vitte_image_tlsdesc\n"
    ".hidden vitte_image_tlsdesc\n"
    ".type vitte_image_tlsdesc,%function\n"
    ".p2align 2\n"
    "vitte_image_tlsdesc:\n"
    "  sub sp, sp, #560\n"
    "  stp x29, x30, [sp]\n"
    "  mov x29, sp\n"
    "  stp x1, x2, [sp, #16]\n"
    "  stp x3, x4, [sp, #32]\n"
    "  stp x5, x6, [sp, #48]\n"
    "  stp x7, x8, [sp, #64]\n"
    "  stp x9, x10, [sp, #80]\n"
    "  stp x11, x12, [sp, #96]\n"
    "  stp x13, x14, [sp, #112]\n"
    "  stp x15, x16, [sp, #128]\n"
    "  stp x17, x18, [sp, #144]\n"
    "  stp q0, q1, [sp, #160]\n"
    "  stp q2, q3, [sp, #192]\n"
    "  stp q4, q5, [sp, #224]\n"
    "  stp q6, q7, [sp, #256]\n"
    "  stp q16, q17, [sp, #288]\n"
    "  stp q18, q19, [sp, #320]\n"
    "  stp q20, q21, [sp, #352]\n"
    "  stp q22, q23, [sp, #384]\n"
    "  stp q24, q25, [sp, #416]\n"
    "  stp q26, q27, [sp, #448]\n"
    "  stp q28, q29, [sp, #480]\n"
    "  stp q30, q31, [sp, #512]\n"
    "  mrs x1, nzcv\n"
    "  str x1, [sp, #544]\n"
    "  ldr x0, [x0, #8]\n"
    "  bl vitte_image_tlsdesc_slow\n"
    "  ldr x1, [sp, #544]\n"
    "  msr nzcv, x1\n"
    "  ldp q30, q31, [sp, #512]\n"
    "  ldp q28, q29, [sp, #480]\n"
    "  ldp q26, q27, [sp, #448]\n"
    "  ldp q24, q25, [sp, #416]\n"
    "  ldp q22, q23, [sp, #384]\n"
    "  ldp q20, q21, [sp, #352]\n"
    "  ldp q18, q19, [sp, #320]\n"
    "  ldp q16, q17, [sp, #288]\n"
    "  ldp q6, q7, [sp, #256]\n"
    "  ldp q4, q5, [sp, #224]\n"
    "  ldp q2, q3, [sp, #192]\n"
    "  ldp q0, q1, [sp, #160]\n"
    "  ldp x17, x18, [sp, #144]\n"
    "  ldp x15, x16, [sp, #128]\n"
    "  ldp x13, x14, [sp, #112]\n"
    "  ldp x11, x12, [sp, #96]\n"
    "  ldp x9, x10, [sp, #80]\n"
    "  ldp x7, x8, [sp, #64]\n"
    "  ldp x5, x6, [sp, #48]\n"
    "  ldp x3, x4, [sp, #32]\n"
    "  ldp x1, x2, [sp, #16]\n"
    "  ldp x29, x30, [sp]\n"
    "  add sp, sp, #560\n"
    "  ret\n"
    ".size vitte_image_tlsdesc, .-vitte_image_tlsdesc\n"
    ".popsection\n");
extern "C" void vitte_image_tlsdesc();
#endif

#if defined(__arm__) && defined(__ELF__)
/// Nonzero when the CPU has 32 double registers (HWCAP_VFPD32): the
/// resolver then keeps d16-d31 too. Set before the first descriptor is installed.
extern "C" {
// `used`: emitted by every file that has the resolver below, which reads it.
__attribute__((used, visibility("hidden"))) inline int vitte_image_arm_d32 = 0;
}
// The resolver a R_ARM_TLS_DESC relocation installs: r0 holds the
// descriptor (its argument word first on Arm, the function second); it
// returns the offset from the thread pointer in r0 and keeps every other
// register but r1 (the descriptor ABI: r0, r1 and the flags may change),
// the VFP registers and FPSCR included. One copy per program (a COMDAT group).
__asm__(
    ".pushsection .text.vitte_image_tlsdesc,\"axG\",%progbits,vitte_image_tlsdesc,comdat\n"
    ".weak vitte_image_tlsdesc\n"
    ".hidden vitte_image_tlsdesc\n"
    ".type vitte_image_tlsdesc,%function\n"
    ".arm\n"
    ".fpu neon\n"
    ".p2align 2\n"
    "vitte_image_tlsdesc:\n"
    "  push {r2, r3, r4, r5, r6, ip, lr}\n"
    "  mov r4, sp\n"
    "  bic sp, sp, #7\n"
    "  vpush {d0-d7}\n"
    "  ldr r6, 1f\n"
    "2: add r6, pc, r6\n"
    "  ldr r6, [r6]\n"
    "  cmp r6, #0\n"
    "  beq 3f\n"
    "  vpush {d16-d31}\n"
    "3: vmrs r5, fpscr\n"
    "  ldr r0, [r0]\n"
    "  bl vitte_image_tlsdesc_slow\n"
    "  vmsr fpscr, r5\n"
    "  cmp r6, #0\n"
    "  beq 4f\n"
    "  vpop {d16-d31}\n"
    "4: vpop {d0-d7}\n"
    "  mov sp, r4\n"
    "  pop {r2, r3, r4, r5, r6, ip, pc}\n"
    "1: .word vitte_image_arm_d32 - (2b + 8)\n"
    ".size vitte_image_tlsdesc, .-vitte_image_tlsdesc\n"
    ".popsection\n");
extern "C" void vitte_image_tlsdesc();
#endif

#if defined(__x86_64__) && defined(__ELF__)
// The resolver a TLSDESC relocation installs (-mtls-dialect=gnu2): %rax
// holds the descriptor; it returns the offset from %fs:0 in %rax and keeps
// every other register, as the descriptor ABI requires: the general
// registers the C call may change, and the x87, SSE, AVX and AVX-512 state
// (XSAVE with components 0-2 and 5-7, the header zeroed first) that the
// allocator and memcpy it may reach use. The caller's stack is realigned
// (a descriptor call site need not keep the ABI's alignment). One copy per
// program (a COMDAT group).
__asm__(
    ".pushsection .text.vitte_image_tlsdesc,\"axG\",@progbits,vitte_image_tlsdesc,comdat\n"
    ".weak vitte_image_tlsdesc\n"
    ".hidden vitte_image_tlsdesc\n"
    ".type vitte_image_tlsdesc,@function\n"
    ".p2align 4\n"
    "vitte_image_tlsdesc:\n"
    "  .cfi_startproc\n"
    "  push %rbp\n"
    "  .cfi_def_cfa_offset 16\n"
    "  .cfi_offset %rbp, -16\n"
    "  mov %rsp, %rbp\n"
    "  .cfi_def_cfa_register %rbp\n"
    "  push %rdi\n"
    "  push %rsi\n"
    "  push %rdx\n"
    "  push %rcx\n"
    "  push %r8\n"
    "  push %r9\n"
    "  push %r10\n"
    "  push %r11\n"
    "  mov 8(%rax), %rdi\n"
    "  and $-64, %rsp\n"
    "  sub $2752, %rsp\n"
    "  xor %edx, %edx\n"
    "  mov %rdx, 512(%rsp)\n"
    "  mov %rdx, 520(%rsp)\n"
    "  mov %rdx, 528(%rsp)\n"
    "  mov %rdx, 536(%rsp)\n"
    "  mov %rdx, 544(%rsp)\n"
    "  mov %rdx, 552(%rsp)\n"
    "  mov %rdx, 560(%rsp)\n"
    "  mov %rdx, 568(%rsp)\n"
    "  mov $0xe7, %eax\n"
    "  xsave (%rsp)\n"
    "  call vitte_image_tlsdesc_slow\n"
    "  mov %rax, %r11\n"
    "  mov $0xe7, %eax\n"
    "  xor %edx, %edx\n"
    "  xrstor (%rsp)\n"
    "  mov %r11, %rax\n"
    "  lea -64(%rbp), %rsp\n"
    "  pop %r11\n"
    "  pop %r10\n"
    "  pop %r9\n"
    "  pop %r8\n"
    "  pop %rcx\n"
    "  pop %rdx\n"
    "  pop %rsi\n"
    "  pop %rdi\n"
    "  pop %rbp\n"
    "  .cfi_def_cfa %rsp, 8\n"
    "  ret\n"
    "  .cfi_endproc\n"
    ".size vitte_image_tlsdesc, .-vitte_image_tlsdesc\n"
    ".popsection\n");
extern "C" void vitte_image_tlsdesc();
#endif

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_TLS_IPP
