// Which libtorrent this binding was compiled against and which one it runs with: the two
// differ when the shared library was upgraded under an old build.
#include <libtorrent/version.hpp>

#include "bindings.h"

namespace swarmpress {

void bind_version(Napi::Env env, Napi::Object exports) {
  Napi::Object version = Napi::Object::New(env);
  version.Set("compiled", Napi::String::New(env, LIBTORRENT_VERSION));
  version.Set("runtime", Napi::String::New(env, lt::version()));
  version.Set("revision", Napi::String::New(env, LIBTORRENT_REVISION));
  version.Set("major", Napi::Number::New(env, LIBTORRENT_VERSION_MAJOR));
  version.Set("minor", Napi::Number::New(env, LIBTORRENT_VERSION_MINOR));
  version.Set("tiny", Napi::Number::New(env, LIBTORRENT_VERSION_TINY));
  version.Freeze();
  exports.Set("libtorrentVersion", version);
}

}  // namespace swarmpress
