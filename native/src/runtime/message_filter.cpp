// swarmpress switches Qt's GL integration off (QT_XCB_GL_INTEGRATION=none: it draws no GL
// and Mesa costs ~55 MB), while NodeGui asks for shared GL contexts; Qt then warns at every
// start that it cannot create one. That one message is expected and dropped; every other
// message goes to Qt's previous handler.

#include "message_filter.h"

#include <QString>
#include <QtGlobal>

#include <cstdlib>
#include <cstring>

namespace {
QtMessageHandler previous_message_handler = nullptr;
const char kNoGlWarning[] = "QXcbIntegration: Cannot create platform OpenGL context";

void filter_messages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  const char* gl = std::getenv("QT_XCB_GL_INTEGRATION");
  if (type == QtWarningMsg && gl != nullptr && std::strcmp(gl, "none") == 0 && message.startsWith(QLatin1String(kNoGlWarning))) {
    return;
  }
  if (previous_message_handler != nullptr) previous_message_handler(type, context, message);
}
}  // namespace

namespace swarmpress {
void install_message_filter() { previous_message_handler = qInstallMessageHandler(filter_messages); }
}  // namespace swarmpress
