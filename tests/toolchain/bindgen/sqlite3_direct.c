/* The same query as sqlite3.cpp runs through its table, compiled against
 * sqlite3.h. */
#include <sqlite3.h>

const char* direct_libversion(void) { return sqlite3_libversion(); }
int direct_version_number(void) { return SQLITE_VERSION_NUMBER; }
long long direct_query(const char* setup, const char* query) {
  sqlite3* db = 0;
  sqlite3_stmt* st = 0;
  long long v = -1;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return -1;
  if (sqlite3_exec(db, setup, 0, 0, 0) == SQLITE_OK && sqlite3_prepare_v2(db, query, -1, &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}
