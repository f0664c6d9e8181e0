/* The C declarations bindgen must carry, each once: bitfields, a flexible
 * array member, anonymous members, packed structs (attribute and #pragma
 * pack), enums of each underlying type, const and volatile, arrays in
 * parameters, function pointers in structs, variadic functions, an __asm__
 * symbol name, typedefs of tagless structs, integer constants. */
#ifndef FORMS_H
#define FORMS_H

#include <stdint.h>

#define FEATURE_COUNT 4
#define FEATURE_MASK (0xF0u | FEATURE_COUNT)
#define FEATURE_BIG 0x123456789abcLL
#define FEATURE_NEG (-42)

enum small_enum { SMALL_A, SMALL_B = 200 } __attribute__((packed));
enum signed_enum { SIGNED_LOW = -3, SIGNED_HIGH = 3 };
enum wide_enum { WIDE_A = 1, WIDE_BIG = 0x100000000LL };
enum unsigned_enum { UNSIGNED_TOP = 0x80000000u };

typedef int (*feature_callback)(void* context, const char* name, ...);

struct bits {
  unsigned a : 3;
  unsigned b : 5;
  signed c : 7;
  uint8_t tail;
};

struct message {
  uint32_t size;
  union {
    int32_t as_int;
    float as_float;
  };
  struct {
    uint16_t lo, hi;
  };
  struct {
    int kind;
  } header;
  feature_callback on_event;
  void (*on_close)(struct message* self);
  const volatile uint32_t* status;
  char data[];
};

struct __attribute__((packed)) packed_pair {
  uint8_t tag;
  uint64_t value;
};

#pragma pack(push, 2)
struct pack2 {
  uint8_t tag;
  uint32_t value;
};
#pragma pack(pop)

typedef struct {
  int x, y;
} point;

typedef struct node node;
struct node {
  node* next;
  point where;
  enum small_enum size;
};

int feature_sum(const int values[], int count);
int feature_matrix(int m[3][4]);
int feature_format(char* out, unsigned size, const char* format, ...);
long feature_renamed(long x) __asm__("feature_renamed_v2");
int feature_apply(feature_callback cb, void* context);
enum small_enum feature_small(enum signed_enum s, enum wide_enum w, enum unsigned_enum u);
unsigned feature_bits(struct bits b);
extern volatile int feature_counter;
extern const char feature_name[];

static inline int feature_inline(int x) { return x + 1; }

#endif
