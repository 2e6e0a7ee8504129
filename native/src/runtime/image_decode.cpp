// Pictures of a page, decoded at the size they are shown and held here, not by JavaScript.
//
// NodeGui 0.61 decodes only at full size (QPixmap::loadFromData) into a pixmap that its
// JS wrapper holds until V8 collects the wrapper, and V8 does not know the pixels are
// there: 200 references to one 8192 × 2048 PNG took the window past 6 GB in 12 s, ~65 MB
// each (issue #25). Here QImageReader decodes with a scaled size (JPEG is decoded scaled
// by libjpeg; PNG and GIF are decoded whole and scaled at once, the whole image freed
// before this returns), and the pixmap stays in a table under a handle that JS frees
// explicitly. A label shows it through Qt's implicit sharing: one decoded picture for
// every label that shows it.
//
// decodeImage(bytes, width, height) -> handle (> 0), or 0 when Qt cannot decode the bytes
//   or they are not the size JS checked (the header check is src/render/image-check.ts).
// showImage(labelId, handle)  sets the label's pixmap (RangeError: no such label or handle).
// freeImage(handle)           forgets the handle; labels showing it keep their share.
// imageStats() -> {images, pixels}   handles held and their pixels (tests, benchmarks).
//
// Threading: JS thread only (Qt's GUI thread is the JS thread, see qt_runtime.cpp).

#include "image_decode.h"

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QPixmap>
#include <QSize>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

#include "widget_ids.h"

namespace swarmpress {
namespace {

// Same limits as src/render/image-check.ts: a file the header check passed never asks for more.
constexpr int64_t kMaxSide = 8192;
constexpr int64_t kMaxPixels = 16 * 1024 * 1024;

std::unordered_map<int64_t, QPixmap>& images() {
  static auto* table = new std::unordered_map<int64_t, QPixmap>();
  return *table;
}
int64_t next_handle = 1;

bool read_size(napi_env env, napi_value value, const char* name, int64_t* out) {
  if (!read_int(env, value, name, out)) return false;
  if (*out < 1 || *out > kMaxSide) {
    std::string message = std::string(name) + " must be 1 to 8192 pixels";
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message.c_str());
    return false;
  }
  return true;
}

napi_value number(napi_env env, int64_t value) {
  napi_value out;
  napi_create_int64(env, value, &out);
  return out;
}

// decodeImage(bytes, width, height)
napi_value DecodeImage(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!read_args(env, info, 3, argv)) return nullptr;
  bool is_typed = false;
  napi_is_typedarray(env, argv[0], &is_typed);
  void* data = nullptr;
  size_t length = 0;
  napi_typedarray_type type;
  if (!is_typed || napi_get_typedarray_info(env, argv[0], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "bytes must be a Uint8Array");
    return nullptr;
  }
  int64_t width = 0, height = 0;
  if (!read_size(env, argv[1], "width", &width) || !read_size(env, argv[2], "height", &height)) return nullptr;
  // No copy: the reader reads the JS buffer in place, before this function returns.
  QByteArray bytes = QByteArray::fromRawData(static_cast<const char*>(data), static_cast<qsizetype>(length));
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::ReadOnly);
  QImageReader reader(&buffer);
  const QSize full = reader.size();
  if (!full.isValid() || full.width() > kMaxSide || full.height() > kMaxSide ||
      static_cast<int64_t>(full.width()) * full.height() > kMaxPixels) {
    return number(env, 0);
  }
  if (full != QSize(static_cast<int>(width), static_cast<int>(height))) {
    reader.setScaledSize(QSize(static_cast<int>(width), static_cast<int>(height)));
  }
  QImage image = reader.read();
  if (image.isNull()) return number(env, 0);
  if (image.size() != QSize(static_cast<int>(width), static_cast<int>(height))) {
    image = image.scaled(static_cast<int>(width), static_cast<int>(height), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
  }
  QPixmap pixmap = QPixmap::fromImage(std::move(image));
  if (pixmap.isNull()) return number(env, 0);
  const int64_t handle = next_handle++;
  images().emplace(handle, std::move(pixmap));
  return number(env, handle);
}

bool find_image(napi_env env, napi_value value, int64_t* handle, QPixmap** out) {
  if (!read_int(env, value, "handle", handle)) return false;
  auto found = images().find(*handle);
  if (found == images().end()) {
    napi_throw_range_error(env, "ERR_IMAGE_MISSING", "no decoded image has this handle");
    return false;
  }
  *out = &found->second;
  return true;
}

// showImage(labelId, handle)
napi_value ShowImage(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!read_args(env, info, 2, argv)) return nullptr;
  int64_t id = 0, handle = 0;
  if (!read_int(env, argv[0], "id", &id)) return nullptr;
  QPixmap* pixmap = nullptr;
  if (!find_image(env, argv[1], &handle, &pixmap)) return nullptr;
  auto* label = qobject_cast<QLabel*>(find_widget(id));
  if (label == nullptr) {
    QByteArray message = QByteArray("no label has ") + kWidgetIdProperty + " " + QByteArray::number(static_cast<qlonglong>(id));
    napi_throw_range_error(env, "ERR_WIDGET_MISSING", message.constData());
    return nullptr;
  }
  label->setPixmap(*pixmap);
  return nullptr;
}

// freeImage(handle): unknown handles are ignored (freeing twice is harmless).
napi_value FreeImage(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!read_args(env, info, 1, argv)) return nullptr;
  int64_t handle = 0;
  if (!read_int(env, argv[0], "handle", &handle)) return nullptr;
  images().erase(handle);
  return nullptr;
}

napi_value ImageStats(napi_env env, napi_callback_info info) {
  int64_t pixels = 0;
  for (const auto& entry : images()) pixels += static_cast<int64_t>(entry.second.width()) * entry.second.height();
  napi_value out;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "images", number(env, static_cast<int64_t>(images().size())));
  napi_set_named_property(env, out, "pixels", number(env, pixels));
  return out;
}

}  // namespace

void bind_image_decode(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"decodeImage", nullptr, DecodeImage, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"showImage", nullptr, ShowImage, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"freeImage", nullptr, FreeImage, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"imageStats", nullptr, ImageStats, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
