// The libtorrent binding of swarmpress: this file only wires the subsystems together.
#include <napi.h>

#include "bindings.h"
#include "common.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  swarmpress::bind_errors(env, exports);
  swarmpress::bind_version(env, exports);
  swarmpress::bind_session(env, exports);
  swarmpress::bind_torrent_files(env, exports);
  swarmpress::bind_peer_credentials(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(swarmpress_torrent, Init)
