/* The same calls as zlib.cpp makes through its table, compiled against
 * zlib's own header: what the bound calls must equal. */
#include <zlib.h>

const char* direct_version(void) { return zlibVersion(); }
int direct_compress(unsigned char* out, unsigned long* out_size, const unsigned char* in, unsigned long size) {
  uLongf n = *out_size;
  int r = compress(out, &n, in, size);
  *out_size = n;
  return r;
}
unsigned long direct_crc32(const unsigned char* in, unsigned size) { return crc32(0, in, size); }
int direct_ok(void) { return Z_OK; }
int direct_stream_end(void) { return Z_STREAM_END; }
unsigned long direct_stream_size(void) { return sizeof(z_stream); }
