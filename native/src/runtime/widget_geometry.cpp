// Where every visible window and control of the app is on the screen, for the tests of
// small screens (issue #22): NodeGui 0.61 can list no widget it did not make (a window's
// menu bar, a scroll area's bars, a dialog's children made by Qt), and walking the JS
// side's widgets would miss exactly those.
//
// widgetGeometry() -> {
//   screen: Rect, available: Rect,            // the primary screen, whole and available
//   windows: [{ name, className, title, frame: Rect, geometry: Rect,
//               controls: [{ name, className, text, rect: Rect, clip: Rect,
//                            scrolls: { horizontal, vertical } }] }] }
// `rect` is the control in global coordinates; `clip` what its ancestors leave of it (the
// intersection of their rectangles); `scrolls` says along which axes an ancestor scroll
// area can bring a clipped part into view (its scroll bar is not always off).
// Controls are the widgets a person reads or uses: buttons, text fields, combo and spin
// boxes, lists, scroll areas, progress bars, labels with text, menu bars.
//
// Threading: JS thread only (Qt's GUI thread is the JS thread, see qt_runtime.cpp).

#include "widget_geometry.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRect>
#include <QScreen>
#include <QString>
#include <QWidget>

namespace swarmpress {
namespace {

void set_int(napi_env env, napi_value object, const char* name, int value) {
  napi_value number;
  napi_create_int32(env, value, &number);
  napi_set_named_property(env, object, name, number);
}

void set_bool(napi_env env, napi_value object, const char* name, bool value) {
  napi_value boolean;
  napi_get_boolean(env, value, &boolean);
  napi_set_named_property(env, object, name, boolean);
}

void set_string(napi_env env, napi_value object, const char* name, const QString& value) {
  QByteArray utf8 = value.toUtf8();
  napi_value string;
  napi_create_string_utf8(env, utf8.constData(), static_cast<size_t>(utf8.size()), &string);
  napi_set_named_property(env, object, name, string);
}

void set_rect(napi_env env, napi_value object, const char* name, const QRect& rect) {
  napi_value value;
  napi_create_object(env, &value);
  set_int(env, value, "x", rect.x());
  set_int(env, value, "y", rect.y());
  set_int(env, value, "width", rect.width());
  set_int(env, value, "height", rect.height());
  napi_set_named_property(env, object, name, value);
}

QRect global_rect(const QWidget* widget) {
  return QRect(widget->mapToGlobal(QPoint(0, 0)), widget->size());
}

bool is_control(const QWidget* widget) {
  if (auto* label = qobject_cast<const QLabel*>(widget)) return !label->text().isEmpty() || label->pixmap().width() > 0;
  return qobject_cast<const QAbstractButton*>(widget) != nullptr || qobject_cast<const QLineEdit*>(widget) != nullptr ||
         qobject_cast<const QComboBox*>(widget) != nullptr || qobject_cast<const QAbstractSpinBox*>(widget) != nullptr ||
         qobject_cast<const QAbstractScrollArea*>(widget) != nullptr || qobject_cast<const QProgressBar*>(widget) != nullptr ||
         qobject_cast<const QMenuBar*>(widget) != nullptr;
}

QString text_of(const QWidget* widget) {
  if (auto* label = qobject_cast<const QLabel*>(widget)) return label->text().left(200);
  if (auto* button = qobject_cast<const QAbstractButton*>(widget)) return button->text();
  if (auto* edit = qobject_cast<const QLineEdit*>(widget)) return edit->text().left(200);
  return QString();
}

napi_value describe_control(napi_env env, QWidget* widget, QWidget* window) {
  napi_value control;
  napi_create_object(env, &control);
  set_string(env, control, "name", widget->objectName());
  set_string(env, control, "className", QString::fromLatin1(widget->metaObject()->className()));
  set_string(env, control, "text", text_of(widget));
  QRect rect = global_rect(widget);
  QRect clip = rect;
  bool horizontal = false;
  bool vertical = false;
  for (QWidget* up = widget->parentWidget(); up != nullptr; up = up->parentWidget()) {
    clip = clip.intersected(global_rect(up));
    if (auto* area = qobject_cast<QAbstractScrollArea*>(up)) {
      horizontal = horizontal || area->horizontalScrollBarPolicy() != Qt::ScrollBarAlwaysOff;
      vertical = vertical || area->verticalScrollBarPolicy() != Qt::ScrollBarAlwaysOff;
    }
    if (up == window) break;
  }
  set_rect(env, control, "rect", rect);
  set_rect(env, control, "clip", clip);
  napi_value scrolls;
  napi_create_object(env, &scrolls);
  set_bool(env, scrolls, "horizontal", horizontal);
  set_bool(env, scrolls, "vertical", vertical);
  napi_set_named_property(env, control, "scrolls", scrolls);
  return control;
}

napi_value WidgetGeometry(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_object(env, &result);
  QScreen* screen = QGuiApplication::primaryScreen();
  if (screen != nullptr) {
    set_rect(env, result, "screen", screen->geometry());
    set_rect(env, result, "available", screen->availableGeometry());
  }
  napi_value windows;
  napi_create_array(env, &windows);
  uint32_t count = 0;
  if (QApplication::instance() != nullptr) {
    for (QWidget* window : QApplication::topLevelWidgets()) {
      // Menus, tooltips and other popups are Qt's to place; they are not windows of ours.
      if (!window->isVisible() || window->windowType() == Qt::Popup || window->windowType() == Qt::ToolTip) continue;
      napi_value entry;
      napi_create_object(env, &entry);
      set_string(env, entry, "name", window->objectName());
      set_string(env, entry, "className", QString::fromLatin1(window->metaObject()->className()));
      set_string(env, entry, "title", window->windowTitle());
      set_rect(env, entry, "frame", window->frameGeometry());
      set_rect(env, entry, "geometry", window->geometry());
      set_bool(env, entry, "fullScreen", window->isFullScreen());
      napi_value controls;
      napi_create_array(env, &controls);
      uint32_t index = 0;
      for (QWidget* child : window->findChildren<QWidget*>()) {
        if (!child->isVisible() || child->isWindow() || !is_control(child)) continue;
        napi_set_element(env, controls, index++, describe_control(env, child, window));
      }
      napi_set_named_property(env, entry, "controls", controls);
      napi_set_element(env, windows, count++, entry);
    }
  }
  napi_set_named_property(env, result, "windows", windows);
  return result;
}

}  // namespace

void bind_widget_geometry(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"widgetGeometry", nullptr, WidgetGeometry, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
