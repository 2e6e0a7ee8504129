// How long ago a person last used the keyboard, the mouse or a touch screen in any window
// of the app: the kiosk goes back to its home page after an idle time (src/app/kiosk.ts).
// NodeGui 0.61 has no application-wide event filter, and input goes to whichever widget has
// the focus or the pointer, so one filter on the QApplication notes the time of each input
// event. It only stores a time: no JS runs per event, and JS asks when its idle timer fires.
//
// inputIdleMs() -> milliseconds since the last input event (since the first call when none
// came yet); the first call installs the filter.
//
// Threading: JS thread only (Qt's GUI thread is the JS thread, see qt_runtime.cpp).

#include "user_input.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QObject>

namespace swarmpress {
namespace {

class InputWatch : public QObject {
 public:
  InputWatch() { last_input_.start(); }

  qint64 idle_ms() const { return last_input_.elapsed(); }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    // Only what came from the window system: Qt sends mouse moves of its own when the widget
    // under a resting pointer changes (a new page), and those are nobody's input.
    if (!event->spontaneous()) return QObject::eventFilter(watched, event);
    switch (event->type()) {
      case QEvent::KeyPress:
      case QEvent::MouseButtonPress:
      case QEvent::MouseMove:
      case QEvent::Wheel:
      case QEvent::TouchBegin:
      case QEvent::TouchUpdate:
        last_input_.restart();
        break;
      default:
        break;
    }
    return QObject::eventFilter(watched, event);
  }

 private:
  QElapsedTimer last_input_;
};

InputWatch* watch = nullptr;

napi_value InputIdleMs(napi_env env, napi_callback_info) {
  if (watch == nullptr) {
    if (QApplication::instance() == nullptr) {
      napi_throw_error(env, "ERR_QT_NOT_LOADED", "Qt is not loaded yet");
      return nullptr;
    }
    watch = new InputWatch();
    watch->setParent(QApplication::instance());
    QApplication::instance()->installEventFilter(watch);
  }
  napi_value result;
  napi_create_double(env, static_cast<double>(watch->idle_ms()), &result);
  return result;
}

}  // namespace

void bind_user_input(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"inputIdleMs", nullptr, InputIdleMs, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
