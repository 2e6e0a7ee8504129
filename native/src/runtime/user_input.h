// user_input.cpp: how long ago a person last used the keyboard, mouse or touch screen.
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds inputIdleMs to `exports`.
void bind_user_input(napi_env env, napi_value exports);
}  // namespace swarmpress
