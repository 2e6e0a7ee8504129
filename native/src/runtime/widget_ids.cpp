// Widgets found by the id JS gives them (widget_ids.h).

#include "widget_ids.h"

#include <QApplication>
#include <QByteArray>
#include <QPointer>
#include <QVariant>
#include <QWidget>

#include <map>

namespace swarmpress {

const char kWidgetIdProperty[] = "swarmpressId";

namespace {
std::map<int64_t, QPointer<QWidget>> known_widgets;
}  // namespace

QWidget* find_widget(int64_t id) {
  auto found = known_widgets.find(id);
  if (found != known_widgets.end()) {
    if (!found->second.isNull()) return found->second.data();
    known_widgets.erase(found);
  }
  if (QCoreApplication::instance() == nullptr) return nullptr;
  // Dead entries of widgets deleted since are dropped while we are here.
  for (auto it = known_widgets.begin(); it != known_widgets.end();) {
    it = it->second.isNull() ? known_widgets.erase(it) : std::next(it);
  }
  for (QWidget* widget : QApplication::allWidgets()) {
    QVariant value = widget->property(kWidgetIdProperty);
    if (!value.isValid() || value.toLongLong() != id) continue;
    known_widgets[id] = QPointer<QWidget>(widget);
    return widget;
  }
  return nullptr;
}

bool read_args(napi_env env, napi_callback_info info, size_t wanted, napi_value* argv) {
  size_t argc = wanted;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  if (argc < wanted) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_COUNT", "too few arguments");
    return false;
  }
  return true;
}

bool read_int(napi_env env, napi_value value, const char* name, int64_t* out) {
  napi_valuetype type;
  napi_typeof(env, value, &type);
  double number = 0;
  if (type != napi_number || napi_get_value_double(env, value, &number) != napi_ok || number != static_cast<double>(static_cast<int64_t>(number))) {
    QByteArray message = QByteArray(name) + " must be an integer";
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message.constData());
    return false;
  }
  *out = static_cast<int64_t>(number);
  return true;
}

}  // namespace swarmpress
