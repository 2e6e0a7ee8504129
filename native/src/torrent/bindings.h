// One bind_<subsystem>() per file of this folder; addon.cpp calls each once.
#pragma once
#include <napi.h>

namespace swarmpress {
void bind_version(Napi::Env env, Napi::Object exports);
}  // namespace swarmpress
