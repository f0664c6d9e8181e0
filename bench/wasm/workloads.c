/* bench/wasm/workloads.c - CPU-bound programs for the WebAssembly
 * benchmarks, compiled at build time with clang --target=wasm32 (no libc).
 * One -D selects the workload; each module exports `run`, which takes no
 * argument (so wabt's wasm-interp --run-all-exports can run it too) and
 * returns a checksum the benchmark verifies.
 *   WORKLOAD_MIX   a CoreMark-like mix: linked-list reversal and search,
 *                  matrix multiply and add, a state machine over text, CRC-16
 *   WORKLOAD_NBODY the n-body simulation (doubles, sqrt)
 *   WORKLOAD_HASH  a hash loop over memory (FNV-1a and xorshift)
 *   WORKLOAD_CALLS 4 million calls of a small function (call and return cost)
 *   WORKLOAD_HOSTCALL 4 million calls of WASI's args_sizes_get (a host
 *                  function that makes no system call: the cost of a call
 *                  into the host)
 *   WORKLOAD_EMPTY returns at once (the interpreters' start-up cost) */
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;

void* memset(void* d, int c, unsigned long n) {
  u8* p = (u8*)d;
  while (n--) *p++ = (u8)c;
  return d;
}
void* memcpy(void* d, const void* s, unsigned long n) {
  u8* p = (u8*)d;
  const u8* q = (const u8*)s;
  while (n--) *p++ = *q++;
  return d;
}

#if defined(WORKLOAD_MIX)
#define ITER 60
struct node {
  struct node* next;
  int value;
};
static struct node nodes[1000];
static int mat_a[32 * 32], mat_b[32 * 32], mat_c[32 * 32];
static u8 text[2048];

static u16 crc16(u16 crc, u8 b) {
  crc ^= b;
  for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (u16)((crc >> 1) ^ 0xa001) : (u16)(crc >> 1);
  return crc;
}

static struct node* reverse(struct node* h) {
  struct node* r = 0;
  while (h) {
    struct node* n = h->next;
    h->next = r;
    r = h;
    h = n;
  }
  return r;
}

static int state_machine(const u8* s, int n) {
  int state = 0, count = 0;
  for (int i = 0; i < n; ++i) {
    u8 c = s[i];
    switch (state) {
      case 0:
        state = (c >= '0' && c <= '9') ? 1 : (c == '-' ? 2 : 0);
        break;
      case 1:
        if (c == '.')
          state = 3;
        else if (!(c >= '0' && c <= '9')) {
          ++count;
          state = 0;
        }
        break;
      case 2:
        state = (c >= '0' && c <= '9') ? 1 : 0;
        break;
      case 3:
        if (!(c >= '0' && c <= '9')) {
          count += 2;
          state = 0;
        }
        break;
    }
  }
  return count;
}

u32 run(void) {
  u32 seed = 12345, check = 0;
  for (int i = 0; i < 2048; ++i) {
    seed = seed * 1103515245u + 12345u;
    u32 r = (seed >> 16) % 16;
    text[i] = (u8)(r < 10 ? '0' + r : (r == 10 ? '.' : (r == 11 ? '-' : ' ')));
  }
  for (int it = 0; it < ITER; ++it) {
    for (int i = 0; i < 1000; ++i) {
      nodes[i].next = i + 1 < 1000 ? &nodes[i + 1] : 0;
      nodes[i].value = (int)((i * 7919u + it) % 1000);
    }
    struct node* h = reverse(&nodes[0]);
    for (struct node* p = h; p; p = p->next)
      if (p->value == it % 1000) check += (u32)(p - nodes);
    h = reverse(h);
    for (int i = 0; i < 32 * 32; ++i) mat_a[i] = (i + it) & 0xff, mat_b[i] = (i * 3 - it) & 0xff;
    for (int i = 0; i < 32; ++i)
      for (int j = 0; j < 32; ++j) {
        int s = 0;
        for (int k = 0; k < 32; ++k) s += mat_a[i * 32 + k] * mat_b[k * 32 + j];
        mat_c[i * 32 + j] = s + mat_a[i * 32 + j];
      }
    check += (u32)mat_c[(it * 7) & 1023];
    check += (u32)state_machine(text, 2048);
    u16 crc = 0;
    for (int i = 0; i < 2048; ++i) crc = crc16(crc, text[i]);
    check ^= crc;
  }
  return check;
}
#elif defined(WORKLOAD_NBODY)
double sqrt(double);
#define N 5
static double x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N];
u32 run(void) {
  const double pi = 3.141592653589793, days = 365.24, solar = 4 * pi * pi;
  double init[N][7] = {
      {0, 0, 0, 0, 0, 0, solar},
      {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * days,
       7.69901118419740425e-03 * days, -6.90460016972063023e-05 * days, 9.54791938424326609e-04 * solar},
      {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * days,
       4.99852801234917238e-03 * days, 2.30417297573763929e-05 * days, 2.85885980666130812e-04 * solar},
      {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * days,
       2.37847173959480950e-03 * days, -2.96589568540237556e-05 * days, 4.36624404335156298e-05 * solar},
      {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * days,
       1.62824170038242295e-03 * days, -9.51592254519715870e-05 * days, 5.15138902046611451e-05 * solar}};
  for (int i = 0; i < N; ++i)
    x[i] = init[i][0], y[i] = init[i][1], z[i] = init[i][2], vx[i] = init[i][3], vy[i] = init[i][4], vz[i] = init[i][5],
    m[i] = init[i][6];
  for (int step = 0; step < 40000; ++step) {
    for (int i = 0; i < N; ++i)
      for (int j = i + 1; j < N; ++j) {
        double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
        double d2 = dx * dx + dy * dy + dz * dz;
        double mag = 0.01 / (d2 * sqrt(d2));
        vx[i] -= dx * m[j] * mag, vy[i] -= dy * m[j] * mag, vz[i] -= dz * m[j] * mag;
        vx[j] += dx * m[i] * mag, vy[j] += dy * m[i] * mag, vz[j] += dz * m[i] * mag;
      }
    for (int i = 0; i < N; ++i) x[i] += 0.01 * vx[i], y[i] += 0.01 * vy[i], z[i] += 0.01 * vz[i];
  }
  double e = 0;
  for (int i = 0; i < N; ++i) e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
  return (u32)(e * 1e6);
}
#elif defined(WORKLOAD_HASH)
static u8 buf[65536];
u32 run(void) {
  u64 s = 88172645463325252ull;
  for (int i = 0; i < 65536; ++i) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    buf[i] = (u8)s;
  }
  u32 h = 2166136261u;
  for (int round = 0; round < 40; ++round)
    for (int i = 0; i < 65536; ++i) h = (h ^ buf[i]) * 16777619u;
  return h;
}
#elif defined(WORKLOAD_CALLS)
__attribute__((noinline)) static u32 step(u32 h, u32 i) { return (h ^ i) * 2654435761u + 1; }
u32 run(void) {
  u32 h = 1;
  for (u32 i = 0; i < 4000000; ++i) h = step(h, i);
  return h;
}
#elif defined(WORKLOAD_HOSTCALL)
__attribute__((import_module("wasi_snapshot_preview1"), import_name("args_sizes_get"))) u32 args_sizes_get(u32* argc,
                                                                                                           u32* size);
static u32 argc_, size_;
u32 run(void) {
  u32 h = 0;
  for (u32 i = 0; i < 4000000; ++i) h += args_sizes_get(&argc_, &size_) + argc_ + size_;
  return h;
}
#else
u32 run(void) { return 0; }
#endif
