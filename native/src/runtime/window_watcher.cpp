// Qt 6 emits QGuiApplication::lastWindowClosed only while QApplication::exec() runs, and
// exec() never runs here. An event filter notes when a top-level widget is shown, hidden or
// closed; after the events of an iteration were dispatched, the loop (glib_loop.cpp) asks
// whether the visible windows that would quit the app on close (Qt's own rule:
// WA_QuitOnClose, not a popup, tool tip or other transient window) went down to zero.
//
// Threading: JS thread only (Qt's GUI thread is the JS thread).

#include "window_watcher.h"

#include <QApplication>
#include <QEvent>
#include <QObject>
#include <QPointer>
#include <QWidget>

#include "glib_loop.h"

namespace swarmpress {

class WindowFilter : public QObject {
 public:
  bool changed = true;
  bool eventFilter(QObject* watched, QEvent* event) override {
    switch (event->type()) {
      case QEvent::Show:
      case QEvent::Hide:
      case QEvent::Close:
        if (watched->isWidgetType() && static_cast<QWidget*>(watched)->isWindow()) changed = true;
        break;
      default:
        break;
    }
    return false;
  }
};

namespace {
int count_quitting_windows() {
  int count = 0;
  for (QWidget* widget : QApplication::topLevelWidgets()) {
    Qt::WindowType type = widget->windowType();
    if (type == Qt::Popup || type == Qt::ToolTip || type == Qt::Desktop || type == Qt::SplashScreen) continue;
    if (widget->isVisible() && widget->testAttribute(Qt::WA_QuitOnClose) && widget->parentWidget() == nullptr) count++;
  }
  return count;
}

// destroyWidgets(): void — deletes every widget that has no parent (and so all widgets).
// Called from Node's 'exit' event, while JS can still run: when Node later tears the
// environment down, NodeGui's finalizers would delete these widgets themselves, and the
// `destroyed` signal handlers NodeGui connected would then call into a JS engine that is
// gone (std::terminate). NodeGui's wrappers hold QPointers, so after this they delete
// nothing.
napi_value DestroyWidgets(napi_env env, napi_callback_info) {
  stop_qt_loop();
  if (QCoreApplication::instance() == nullptr) return nullptr;
  // Deleting one top-level widget can delete others (a dialog with a parent window goes
  // with its window), so every pointer is guarded and checked before its delete.
  QList<QPointer<QWidget>> widgets;
  for (QWidget* widget : QApplication::topLevelWidgets()) widgets.append(QPointer<QWidget>(widget));
  for (const QPointer<QWidget>& widget : widgets) {
    if (!widget.isNull()) delete widget.data();
  }
  report_pending_exception(env);
  return nullptr;
}
}  // namespace

void WindowWatch::start() {
  filter_ = new WindowFilter();
  had_windows_ = count_quitting_windows() > 0;
  QCoreApplication::instance()->installEventFilter(filter_);
}

void WindowWatch::stop() {
  if (filter_ == nullptr) return;
  if (QCoreApplication::instance() != nullptr) QCoreApplication::instance()->removeEventFilter(filter_);
  delete filter_;
  filter_ = nullptr;
}

bool WindowWatch::last_window_closed() {
  if (filter_ == nullptr || !filter_->changed) return false;
  filter_->changed = false;
  bool has_windows = count_quitting_windows() > 0;
  bool closed_last = had_windows_ && !has_windows;
  had_windows_ = has_windows;
  return closed_last;
}

void bind_window_watcher(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"destroyWidgets", nullptr, DestroyWidgets, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
