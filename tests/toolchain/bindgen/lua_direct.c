/* The same chunk as lua.cpp runs through its table, compiled against Lua's
 * headers. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <string.h>

const char* direct_release(void) { return LUA_RELEASE; }
long long direct_run(const char* chunk, char* text, unsigned size) {
  lua_State* L = luaL_newstate();
  long long v = -1;
  luaL_openlibs(L);
  if (luaL_loadstring(L, chunk) == LUA_OK && lua_pcall(L, 0, 2, 0) == LUA_OK) {
    v = lua_tointeger(L, -2);
    strncpy(text, lua_tostring(L, -1), size - 1);
    text[size - 1] = '\0';
  }
  lua_close(L);
  return v;
}
