// Widgets that JavaScript names by number, and the argument readers the runtime's N-API
// functions share. NodeGui 0.61 gives JS no way to hand a native module its QWidget*, so JS
// sets a dynamic property through NodeGui (`setProperty('swarmpressId', id)`) and native
// code finds the widget by it. Found widgets are remembered by QPointer: a deleted widget is
// never touched, and is forgotten.
//
// Threading: JS thread only (Qt's GUI thread is the JS thread, see glib_loop.cpp).
#pragma once
#include <node_api.h>

#include <cstdint>

class QWidget;

namespace swarmpress {

// The dynamic property that carries a widget's id.
extern const char kWidgetIdProperty[];

// The live widget whose id is `id`, or nullptr.
QWidget* find_widget(int64_t id);

// Reads `wanted` arguments into argv; throws ERR_INVALID_ARG_COUNT and returns false if fewer came.
bool read_args(napi_env env, napi_callback_info info, size_t wanted, napi_value* argv);

// Reads an integral number; throws ERR_INVALID_ARG_TYPE naming `name` and returns false otherwise.
bool read_int(napi_env env, napi_value value, const char* name, int64_t* out);

}  // namespace swarmpress
