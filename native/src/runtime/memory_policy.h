// memory_policy.cpp: when the window process hands memory back (glibc's free pages, V8's
// memory-reducing collection).
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds releaseMemory and returnFreeMemory to `exports`, and trims glibc's heaps a second
// after each full collection (until the environment is torn down).
void bind_memory_policy(napi_env env, napi_value exports);
}  // namespace swarmpress
