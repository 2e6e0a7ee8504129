// The cursor and selection of a QPlainTextEdit, for the Markdown editor's formatting
// actions: NodeGui 0.61's QPlainTextEdit has setPlainText/insertPlainText but no
// textCursor(), so a toolbar button could not know what is selected.
//
// An edit is found by the id JS gave it (widget_ids.h). Positions are QTextCursor
// positions, which for a plain text document are UTF-16 offsets into toPlainText() — the
// same units as JS strings.
//
// Threading: JS thread only (Qt's GUI thread is the JS thread, see glib_loop.cpp).

#include "text_cursor.h"

#include "widget_ids.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QString>
#include <QTextCursor>
#include <QTextDocument>

#include <string>

namespace swarmpress {
namespace {

// The edit whose id is argv[0]; throws and returns nullptr when there is none.
QPlainTextEdit* edit_arg(napi_env env, napi_value value) {
  int64_t id = 0;
  if (!read_int(env, value, "id", &id)) return nullptr;
  if (QCoreApplication::instance() == nullptr) {
    napi_throw_error(env, "ERR_QT_NO_APPLICATION", "no QApplication");
    return nullptr;
  }
  auto* edit = qobject_cast<QPlainTextEdit*>(find_widget(id));
  if (edit == nullptr) {
    QByteArray message = QByteArray("no QPlainTextEdit has ") + kWidgetIdProperty + " " + QByteArray::number(static_cast<qlonglong>(id));
    napi_throw_range_error(env, "ERR_TEXT_EDIT_MISSING", message.constData());
  }
  return edit;
}

// Positions run from 0 to the document's length (characterCount() counts a final
// paragraph separator that no cursor can pass).
bool read_position(napi_env env, napi_value value, const char* name, int length, int* out) {
  int64_t position = 0;
  if (!read_int(env, value, name, &position)) return false;
  if (position < 0 || position > length) {
    QByteArray message = QByteArray(name) + " must be from 0 to " + QByteArray::number(length) + ", not " + QByteArray::number(static_cast<qlonglong>(position));
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message.constData());
    return false;
  }
  *out = static_cast<int>(position);
  return true;
}

int document_length(QPlainTextEdit* edit) { return edit->document()->characterCount() - 1; }

void select(QPlainTextEdit* edit, QTextCursor& cursor, int anchor, int position) {
  cursor.setPosition(anchor, QTextCursor::MoveAnchor);
  cursor.setPosition(position, QTextCursor::KeepAnchor);
  edit->setTextCursor(cursor);
  edit->ensureCursorVisible();
}

// textCursor(id): [anchor, position]
napi_value TextCursor(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!read_args(env, info, 1, argv)) return nullptr;
  QPlainTextEdit* edit = edit_arg(env, argv[0]);
  if (edit == nullptr) return nullptr;
  QTextCursor cursor = edit->textCursor();
  napi_value out, anchor, position;
  napi_create_array_with_length(env, 2, &out);
  napi_create_int32(env, cursor.anchor(), &anchor);
  napi_create_int32(env, cursor.position(), &position);
  napi_set_element(env, out, 0, anchor);
  napi_set_element(env, out, 1, position);
  return out;
}

// textSelect(id, anchor, position): selects from anchor to position (equal: a cursor).
napi_value TextSelect(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!read_args(env, info, 3, argv)) return nullptr;
  QPlainTextEdit* edit = edit_arg(env, argv[0]);
  if (edit == nullptr) return nullptr;
  int length = document_length(edit);
  int anchor = 0, position = 0;
  if (!read_position(env, argv[1], "anchor", length, &anchor) || !read_position(env, argv[2], "position", length, &position)) return nullptr;
  QTextCursor cursor = edit->textCursor();
  select(edit, cursor, anchor, position);
  return nullptr;
}

// textReplace(id, from, to, text, anchor, position): replaces [from, to) with `text` as one
// undo step, then selects anchor..position (positions in the new text).
napi_value TextReplace(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!read_args(env, info, 6, argv)) return nullptr;
  QPlainTextEdit* edit = edit_arg(env, argv[0]);
  if (edit == nullptr) return nullptr;
  int length = document_length(edit);
  int from = 0, to = 0;
  if (!read_position(env, argv[1], "from", length, &from) || !read_position(env, argv[2], "to", length, &to)) return nullptr;
  if (from > to) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "from must not be after to");
    return nullptr;
  }
  napi_valuetype type;
  napi_typeof(env, argv[3], &type);
  size_t units = 0;
  if (type != napi_string || napi_get_value_string_utf16(env, argv[3], nullptr, 0, &units) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "text must be a string");
    return nullptr;
  }
  std::u16string buffer(units + 1, u'\0');  // room for the terminating NUL N-API writes
  napi_get_value_string_utf16(env, argv[3], buffer.data(), buffer.size(), &units);
  QString text = QString::fromUtf16(buffer.data(), static_cast<qsizetype>(units));
  int new_length = length - (to - from) + static_cast<int>(units);
  int anchor = 0, position = 0;
  if (!read_position(env, argv[4], "anchor", new_length, &anchor) || !read_position(env, argv[5], "position", new_length, &position)) return nullptr;
  QTextCursor cursor = edit->textCursor();
  cursor.beginEditBlock();
  cursor.setPosition(from, QTextCursor::MoveAnchor);
  cursor.setPosition(to, QTextCursor::KeepAnchor);
  if (units == 0) {
    cursor.removeSelectedText();
  } else {
    cursor.insertText(text);
  }
  cursor.endEditBlock();
  select(edit, cursor, anchor, position);
  return nullptr;
}

}  // namespace

void bind_text_cursor(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"textCursor", nullptr, TextCursor, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"textSelect", nullptr, TextSelect, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"textReplace", nullptr, TextReplace, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
