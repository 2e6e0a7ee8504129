#include "common.h"

#include <cmath>

namespace swarmpress {

void throw_type_error(Napi::Env env, const std::string& what, const std::string& expected) {
  auto error = Napi::TypeError::New(env, "The \"" + what + "\" argument must be " + expected);
  error.Set("code", Napi::String::New(env, "ERR_INVALID_ARG_TYPE"));
  throw error;
}

void throw_range_error(Napi::Env env, const std::string& what, const std::string& expected) {
  auto error = Napi::RangeError::New(env, "The \"" + what + "\" argument must be " + expected);
  error.Set("code", Napi::String::New(env, "ERR_OUT_OF_RANGE"));
  throw error;
}

namespace {

struct AddonData {
  Napi::FunctionReference error_constructor;
};

AddonData& addon_data(Napi::Env env) {
  auto* data = env.GetInstanceData<AddonData>();
  if (data == nullptr) {
    data = new AddonData();
    env.SetInstanceData(data);  // deleted by Node when the environment goes away
  }
  return *data;
}

Napi::Value SetErrorConstructor(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) throw_type_error(info.Env(), "constructor", "a function");
  addon_data(info.Env()).error_constructor = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

// new NativeError({code, category, value, operation, message}) with the class JS handed
// over; before that (a caller that skipped the loader) an Error with the same fields.
Napi::Object make_error(Napi::Env env, const std::string& code, const std::string& category, int value, const std::string& operation,
                        const std::string& message) {
  Napi::Object fields = Napi::Object::New(env);
  fields.Set("code", Napi::String::New(env, code));
  fields.Set("category", Napi::String::New(env, category));
  fields.Set("value", Napi::Number::New(env, value));
  fields.Set("operation", Napi::String::New(env, operation));
  fields.Set("message", Napi::String::New(env, message));
  AddonData& data = addon_data(env);
  if (!data.error_constructor.IsEmpty()) return data.error_constructor.New({fields});
  Napi::Object error = Napi::Error::New(env, message).Value();
  error.Set("name", Napi::String::New(env, "NativeError"));
  for (const char* key : {"code", "category", "value", "operation"}) error.Set(key, fields.Get(key));
  return error;
}

}  // namespace

void bind_errors(Napi::Env env, Napi::Object exports) {
  addon_data(env);
  exports.Set("setErrorConstructor", Napi::Function::New(env, SetErrorConstructor, "setErrorConstructor"));
}

Napi::Object native_error_object(Napi::Env env, const lt::error_code& ec, const std::string& operation) {
  std::string message = operation + ": " + ec.message() + " (" + ec.category().name() + " " + std::to_string(ec.value()) + ")";
  return make_error(env, "ERR_LIBTORRENT", ec.category().name(), ec.value(), operation, message);
}

void throw_native_error(Napi::Env env, const lt::error_code& ec, const std::string& operation) {
  throw Napi::Error(env, native_error_object(env, ec, operation));
}

Napi::Object state_error_object(Napi::Env env, const std::string& code, const std::string& operation, const std::string& message) {
  return make_error(env, code, "swarmpress", 0, operation, message);
}

void throw_state_error(Napi::Env env, const std::string& code, const std::string& operation, const std::string& message) {
  throw Napi::Error(env, state_error_object(env, code, operation, message));
}

std::string arg_string(const Napi::CallbackInfo& info, size_t index, const std::string& name, size_t max_bytes) {
  if (index >= info.Length() || !info[index].IsString()) throw_type_error(info.Env(), name, "of type string");
  std::string value = info[index].As<Napi::String>().Utf8Value();
  if (value.size() > max_bytes) throw_range_error(info.Env(), name, "at most " + std::to_string(max_bytes) + " bytes long");
  if (value.find('\0') != std::string::npos) throw_type_error(info.Env(), name, "a string without NUL characters");
  return value;
}

std::string arg_hex(const Napi::CallbackInfo& info, size_t index, const std::string& name, size_t bytes) {
  if (index >= info.Length() || !info[index].IsString()) throw_type_error(info.Env(), name, "a hex string");
  std::string hex = info[index].As<Napi::String>().Utf8Value();
  std::string out(bytes, '\0');
  if (hex.size() != bytes * 2 || !from_hex(hex, out.data(), bytes)) {
    throw_range_error(info.Env(), name, "exactly " + std::to_string(bytes * 2) + " hex digits");
  }
  return out;
}

Napi::Object arg_object(const Napi::CallbackInfo& info, size_t index, const std::string& name) {
  if (index >= info.Length() || !info[index].IsObject() || info[index].IsArray() || info[index].IsFunction()) {
    throw_type_error(info.Env(), name, "an object");
  }
  return info[index].As<Napi::Object>();
}

namespace {
int64_t checked_integer(Napi::Env env, Napi::Value value, const std::string& name, int64_t min, int64_t max) {
  if (!value.IsNumber()) throw_type_error(env, name, "of type number");
  double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || std::floor(number) != number || number < static_cast<double>(min) ||
      number > static_cast<double>(max)) {
    throw_range_error(env, name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<int64_t>(number);
}
}  // namespace

int64_t arg_integer(const Napi::CallbackInfo& info, size_t index, const std::string& name, int64_t min, int64_t max) {
  if (index >= info.Length()) throw_type_error(info.Env(), name, "of type number");
  return checked_integer(info.Env(), info[index], name, min, max);
}

std::string arg_bytes(const Napi::CallbackInfo& info, size_t index, const std::string& name, size_t max_bytes) {
  if (index >= info.Length() || !info[index].IsTypedArray()) throw_type_error(info.Env(), name, "a Uint8Array or Buffer");
  auto array = info[index].As<Napi::TypedArray>();
  if (array.TypedArrayType() != napi_uint8_array) throw_type_error(info.Env(), name, "a Uint8Array or Buffer");
  auto bytes = array.As<Napi::Uint8Array>();
  if (bytes.ArrayBuffer().Data() == nullptr && bytes.ByteLength() > 0) throw_type_error(info.Env(), name, "an attached buffer");
  if (bytes.ByteLength() > max_bytes) throw_range_error(info.Env(), name, "at most " + std::to_string(max_bytes) + " bytes");
  return std::string(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
}

std::string opt_string(Napi::Object options, const char* key, const std::string& fallback, size_t max_bytes) {
  Napi::Value value = options.Get(key);
  if (value.IsUndefined()) return fallback;
  if (!value.IsString()) throw_type_error(options.Env(), std::string("options.") + key, "of type string");
  std::string out = value.As<Napi::String>().Utf8Value();
  if (out.size() > max_bytes) throw_range_error(options.Env(), std::string("options.") + key, "at most " + std::to_string(max_bytes) + " bytes long");
  if (out.find('\0') != std::string::npos) throw_type_error(options.Env(), std::string("options.") + key, "a string without NUL characters");
  return out;
}

int64_t opt_integer(Napi::Object options, const char* key, int64_t fallback, int64_t min, int64_t max) {
  Napi::Value value = options.Get(key);
  if (value.IsUndefined()) return fallback;
  return checked_integer(options.Env(), value, std::string("options.") + key, min, max);
}

bool opt_bool(Napi::Object options, const char* key, bool fallback) {
  Napi::Value value = options.Get(key);
  if (value.IsUndefined()) return fallback;
  if (!value.IsBoolean()) throw_type_error(options.Env(), std::string("options.") + key, "of type boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string to_hex(const char* data, size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; i++) {
    auto byte = static_cast<unsigned char>(data[i]);
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 15]);
  }
  return out;
}

bool from_hex(const std::string& hex, char* out, size_t out_size) {
  if (hex.size() != out_size * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < out_size; i++) {
    int high = nibble(hex[2 * i]);
    int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<char>((high << 4) | low);
  }
  return true;
}

std::string torrent_id(const lt::info_hash_t& hashes) {
  if (hashes.has_v1()) return to_hex(hashes.v1.data(), hashes.v1.size());
  return to_hex(hashes.v2.data(), hashes.v2.size());
}

Napi::Object info_hashes_object(Napi::Env env, const lt::info_hash_t& hashes) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::String::New(env, torrent_id(hashes)));
  out.Set("v1", hashes.has_v1() ? Napi::Value(Napi::String::New(env, to_hex(hashes.v1.data(), hashes.v1.size()))) : env.Null());
  out.Set("v2", hashes.has_v2() ? Napi::Value(Napi::String::New(env, to_hex(hashes.v2.data(), hashes.v2.size()))) : env.Null());
  out.Freeze();
  return out;
}

Napi::Buffer<char> copy_buffer(Napi::Env env, const char* data, size_t size) { return Napi::Buffer<char>::Copy(env, data, size); }

}  // namespace swarmpress
