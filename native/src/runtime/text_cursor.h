// text_cursor.cpp: the cursor and selection of a QPlainTextEdit, which NodeGui 0.61 does not
// expose (its QPlainTextEdit has no textCursor()).
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds textCursor, textSelect and textReplace to `exports`.
void bind_text_cursor(napi_env env, napi_value exports);
}  // namespace swarmpress
