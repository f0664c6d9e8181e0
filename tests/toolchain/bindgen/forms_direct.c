/* Sizes and offsets of forms.h as C sees them, for features.cpp. */
#include <stddef.h>

#include "forms.h"

unsigned long direct_layout(int i) {
  switch (i) {
    case 0:
      return sizeof(struct message);
    case 1:
      return offsetof(struct message, as_float);
    case 2:
      return offsetof(struct message, hi);
    case 3:
      return offsetof(struct message, on_close);
    case 4:
      return offsetof(struct message, data);
    case 5:
      return sizeof(struct packed_pair);
    case 6:
      return sizeof(struct pack2);
    case 7:
      return sizeof(enum small_enum);
    case 8:
      return sizeof(enum wide_enum);
    case 9:
      return sizeof(struct bits);
    default:
      return 0;
  }
}
