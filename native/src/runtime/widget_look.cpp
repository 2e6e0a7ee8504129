// The palette of a widget, which NodeGui 0.61 cannot set: it reads QPalette from the
// application but has no QWidget::setPalette.
//
// The page is drawn with palettes and fonts rather than a style sheet (src/render/theme.ts).
// A style sheet on the page put every block under QStyleSheetStyle, which parses the sheet
// and polishes each widget with render rules of its own. A palette set on the page's
// content widget is inherited by every block in it, as fonts are.
//
// setColours(id, colours): `colours` maps palette roles (the keys of kRoles) to colours in
// a form QColor reads ('#rrggbb'). Each role is set in every colour group. Nothing is
// changed when a key or a colour is wrong (TypeError) or no widget has the id (RangeError).
//
// Threading: JS thread only (Qt's GUI thread is the JS thread, see glib_loop.cpp).

#include "widget_look.h"

#include <QByteArray>
#include <QColor>
#include <QPalette>
#include <QString>
#include <QWidget>

#include <string>
#include <utility>
#include <vector>

#include "widget_ids.h"

namespace swarmpress {
namespace {

struct RoleName {
  const char* name;
  QPalette::ColorRole role;
};

const RoleName kRoles[] = {
    {"window", QPalette::Window},
    {"windowText", QPalette::WindowText},
    {"base", QPalette::Base},
    {"alternateBase", QPalette::AlternateBase},
    {"text", QPalette::Text},
    {"button", QPalette::Button},
    {"buttonText", QPalette::ButtonText},
    {"highlight", QPalette::Highlight},
    {"highlightedText", QPalette::HighlightedText},
    {"link", QPalette::Link},
    {"linkVisited", QPalette::LinkVisited},
    {"placeholderText", QPalette::PlaceholderText},
    {"toolTipBase", QPalette::ToolTipBase},
    {"toolTipText", QPalette::ToolTipText},
};

bool read_string(napi_env env, napi_value value, std::string* out) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) return false;
  out->assign(length + 1, '\0');
  napi_get_value_string_utf8(env, value, out->data(), out->size(), &length);
  out->resize(length);
  return true;
}

const RoleName* role_named(const std::string& name) {
  for (const RoleName& role : kRoles) {
    if (name == role.name) return &role;
  }
  return nullptr;
}

// setColours(id, colours)
napi_value SetColours(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!read_args(env, info, 2, argv)) return nullptr;
  int64_t id = 0;
  if (!read_int(env, argv[0], "id", &id)) return nullptr;
  napi_valuetype type;
  napi_typeof(env, argv[1], &type);
  napi_value keys;
  uint32_t count = 0;
  if (type != napi_object || napi_get_property_names(env, argv[1], &keys) != napi_ok || napi_get_array_length(env, keys, &count) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "colours must be an object of palette roles");
    return nullptr;
  }
  std::vector<std::pair<QPalette::ColorRole, QColor>> wanted;
  for (uint32_t i = 0; i < count; i++) {
    napi_value key, value;
    std::string name, colour;
    napi_get_element(env, keys, i, &key);
    napi_get_property(env, argv[1], key, &value);
    const RoleName* role = read_string(env, key, &name) ? role_named(name) : nullptr;
    if (role == nullptr) {
      std::string message = "not a palette role: " + name;
      napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", message.c_str());
      return nullptr;
    }
    QColor parsed;
    if (read_string(env, value, &colour)) parsed = QColor(QString::fromUtf8(colour.data(), static_cast<qsizetype>(colour.size())));
    if (!parsed.isValid()) {
      std::string message = std::string("not a colour for ") + role->name + ": " + colour;
      napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", message.c_str());
      return nullptr;
    }
    wanted.emplace_back(role->role, parsed);
  }
  QWidget* widget = find_widget(id);
  if (widget == nullptr) {
    QByteArray message = QByteArray("no widget has ") + kWidgetIdProperty + " " + QByteArray::number(static_cast<qlonglong>(id));
    napi_throw_range_error(env, "ERR_WIDGET_MISSING", message.constData());
    return nullptr;
  }
  QPalette palette = widget->palette();
  for (const auto& [role, colour] : wanted) palette.setColor(role, colour);
  widget->setPalette(palette);
  return nullptr;
}

}  // namespace

void bind_widget_look(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"setColours", nullptr, SetColours, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
