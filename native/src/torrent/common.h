// Helpers shared by the parts of the libtorrent binding: argument checks that name the
// argument (TypeError/RangeError), NativeError from libtorrent's error_code, hex.
#pragma once
#include <napi.h>

#include <libtorrent/error_code.hpp>
#include <libtorrent/info_hash.hpp>
#include <libtorrent/sha1_hash.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace swarmpress {

// Throws a JS TypeError (code ERR_INVALID_ARG_TYPE) naming `what`.
[[noreturn]] void throw_type_error(Napi::Env env, const std::string& what, const std::string& expected);
// Throws a JS RangeError (code ERR_OUT_OF_RANGE) naming `what`.
[[noreturn]] void throw_range_error(Napi::Env env, const std::string& what, const std::string& expected);
// The NativeError class is JS's (src/net/native-error.ts): the loader hands it over once
// with setErrorConstructor, as better-sqlite3 does, so every failure thrown from here is an
// instance of the class the app presents, not a look-alike.
void bind_errors(Napi::Env env, Napi::Object exports);
// A NativeError (code ERR_LIBTORRENT) with libtorrent's category, value and message and the
// operation that failed (STYLE.md "Errors").
[[noreturn]] void throw_native_error(Napi::Env env, const lt::error_code& ec, const std::string& operation);
Napi::Object native_error_object(Napi::Env env, const lt::error_code& ec, const std::string& operation);
// A NativeError of the binding's own (category "swarmpress", value 0) with its own `code`,
// e.g. ERR_SESSION_CLOSED: a call that cannot be made in the binding's present state.
[[noreturn]] void throw_state_error(Napi::Env env, const std::string& code, const std::string& operation, const std::string& message);
Napi::Object state_error_object(Napi::Env env, const std::string& code, const std::string& operation, const std::string& message);

// Arguments, checked.
std::string arg_string(const Napi::CallbackInfo& info, size_t index, const std::string& name, size_t max_bytes);
std::string arg_hex(const Napi::CallbackInfo& info, size_t index, const std::string& name, size_t bytes);
Napi::Object arg_object(const Napi::CallbackInfo& info, size_t index, const std::string& name);
int64_t arg_integer(const Napi::CallbackInfo& info, size_t index, const std::string& name, int64_t min, int64_t max);
std::string arg_bytes(const Napi::CallbackInfo& info, size_t index, const std::string& name, size_t max_bytes);

// Optional properties of an options object, checked; `fallback` when absent/undefined.
std::string opt_string(Napi::Object options, const char* key, const std::string& fallback, size_t max_bytes);
int64_t opt_integer(Napi::Object options, const char* key, int64_t fallback, int64_t min, int64_t max);
bool opt_bool(Napi::Object options, const char* key, bool fallback);

std::string to_hex(const char* data, size_t size);
bool from_hex(const std::string& hex, char* out, size_t out_size);

// The id of a torrent in this binding: the v1 infohash in hex when the torrent has one
// (what BEP 46 records carry), else the v2 infohash (64 hex digits).
std::string torrent_id(const lt::info_hash_t& hashes);
Napi::Object info_hashes_object(Napi::Env env, const lt::info_hash_t& hashes);

Napi::Buffer<char> copy_buffer(Napi::Env env, const char* data, size_t size);

}  // namespace swarmpress
