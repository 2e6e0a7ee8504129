// widget_geometry.cpp: where every visible window and control of the app is on the screen.
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds widgetGeometry to `exports`.
void bind_widget_geometry(napi_env env, napi_value exports);
}  // namespace swarmpress
