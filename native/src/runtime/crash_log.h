// crash_log.cpp: a one-line reason and the native stack of a crash, written to a file.
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds installCrashLog and crashForTest to `exports`.
void bind_crash_log(napi_env env, napi_value exports);
}  // namespace swarmpress
