// image_decode.cpp: pictures decoded at the size they are shown, held natively and shared.
#pragma once
#include <node_api.h>

namespace swarmpress {
// Adds decodeImage, showImage, freeImage and imageStats to `exports`.
void bind_image_decode(napi_env env, napi_value exports);
}  // namespace swarmpress
