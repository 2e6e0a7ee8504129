// widget_look.cpp: a widget's palette, which NodeGui 0.61 cannot set.
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds setColours to `exports`.
void bind_widget_look(napi_env env, napi_value exports);
}  // namespace swarmpress
