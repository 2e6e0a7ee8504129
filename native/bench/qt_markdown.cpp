// The near-limit reference of the render benchmark (test/bench/render.ts): Qt's own Markdown
// import, QTextDocument::setMarkdown (md4c inside Qt), shown in a read-only QTextEdit.
//
//   qt_markdown FILE.md [WIDTH HEIGHT]
//
// Prints JSON lines on stdout: {"firstPaintMs":..} after the first paint of the viewport,
// then {"laidOutMs":..,"heightPx":..} once the whole document is laid out (QTextDocument lays
// out lazily; size() forces the rest). Times are from just before the file is read. It then
// waits for a line on stdin (the harness measures memory meanwhile) and exits.
#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QSocketNotifier>
#include <QTextDocument>
#include <QTextEdit>
#include <QTimer>
#include <cstdio>

namespace {

class PaintWatch : public QObject {
 public:
  PaintWatch(QElapsedTimer* clock, QTextEdit* edit) : clock_(clock), edit_(edit) {}

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint && !painted_) {
      painted_ = true;
      // After this paint has finished: report, then lay out the rest.
      QTimer::singleShot(0, [this] {
        std::printf("{\"firstPaintMs\":%.3f}\n", clock_->nsecsElapsed() / 1e6);
        std::fflush(stdout);
        const QSizeF size = edit_->document()->size();
        std::printf("{\"laidOutMs\":%.3f,\"heightPx\":%.0f}\n", clock_->nsecsElapsed() / 1e6, size.height());
        std::fflush(stdout);
      });
    }
    return QObject::eventFilter(watched, event);
  }

 private:
  QElapsedTimer* clock_;
  QTextEdit* edit_;
  bool painted_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: qt_markdown FILE.md [WIDTH HEIGHT]\n");
    return 2;
  }
  const int width = argc > 3 ? std::atoi(argv[2]) : 960;
  const int height = argc > 3 ? std::atoi(argv[3]) : 720;
  QElapsedTimer clock;
  clock.start();
  QFile file(QString::fromLocal8Bit(argv[1]));
  if (!file.open(QIODevice::ReadOnly)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  const QString markdown = QString::fromUtf8(file.readAll());
  QTextEdit edit;
  edit.setReadOnly(true);
  PaintWatch watch(&clock, &edit);
  edit.viewport()->installEventFilter(&watch);
  edit.document()->setMarkdown(markdown, QTextDocument::MarkdownDialectGitHub);
  edit.resize(width, height);
  edit.show();
  QSocketNotifier input(0, QSocketNotifier::Read);
  QObject::connect(&input, &QSocketNotifier::activated, &app, &QApplication::quit);
  return app.exec();
}
