// Settings cross the boundary by libtorrent's own names (`setting_by_name`): an unknown
// name or a value of the wrong type throws, naming the setting.
#include <libtorrent/settings_pack.hpp>

#include "bindings.h"
#include "common.h"

namespace swarmpress {

lt::settings_pack settings_from_object(Napi::Object object) {
  lt::settings_pack pack;
  apply_settings_object(pack, object);
  return pack;
}

void apply_settings_object(lt::settings_pack& pack, Napi::Object object) {
  Napi::Env env = object.Env();
  Napi::Array names = object.GetPropertyNames();
  for (uint32_t i = 0; i < names.Length(); i++) {
    std::string name = names.Get(i).As<Napi::String>().Utf8Value();
    int index = lt::setting_by_name(name);
    if (index < 0) {
      auto error = Napi::RangeError::New(env, "unknown libtorrent setting \"" + name + "\"");
      error.Set("code", Napi::String::New(env, "ERR_UNKNOWN_SETTING"));
      throw error;
    }
    Napi::Value value = object.Get(names.Get(i));
    std::string what = "settings." + name;
    switch (index & lt::settings_pack::type_mask) {
      case lt::settings_pack::string_type_base: {
        if (!value.IsString()) throw_type_error(env, what, "of type string");
        std::string text = value.As<Napi::String>().Utf8Value();
        if (text.find('\0') != std::string::npos) throw_type_error(env, what, "a string without NUL characters");
        pack.set_str(index, text);
        break;
      }
      case lt::settings_pack::int_type_base: {
        if (!value.IsNumber()) throw_type_error(env, what, "of type number");
        double number = value.As<Napi::Number>().DoubleValue();
        if (!(number >= -2147483648.0 && number <= 2147483647.0) || static_cast<double>(static_cast<int>(number)) != number) {
          throw_range_error(env, what, "a 32-bit integer");
        }
        pack.set_int(index, static_cast<int>(number));
        break;
      }
      case lt::settings_pack::bool_type_base:
        if (!value.IsBoolean()) throw_type_error(env, what, "of type boolean");
        pack.set_bool(index, value.As<Napi::Boolean>().Value());
        break;
      default:
        throw_range_error(env, what, "a known setting");
    }
  }
}

}  // namespace swarmpress
