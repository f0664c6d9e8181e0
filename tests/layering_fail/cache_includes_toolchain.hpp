// The build kit's layers by job: toolchain uses cache (tool fingerprints),
// not the other way round.
// as: cache/index.hpp
// expect: cache may not include <vitte/toolchain/tool.hpp> (toolchain)
#include <vitte/toolchain/tool.hpp>
