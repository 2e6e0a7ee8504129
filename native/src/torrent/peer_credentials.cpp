// Who is at the other end of a Unix socket (SO_PEERCRED, Linux): the control socket of a
// node (src/app/control.ts) talks only to processes of the user who runs it, both ways.
// Node has no API for it; the kernel's answer is the only one that cannot be forged (a
// socket file's owner says who created the file, not who answers on it).
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "bindings.h"

namespace swarmpress {
namespace {

Napi::Value PeerCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "peerCredentials(fd): fd must be a number");
  const int fd = info[0].As<Napi::Number>().Int32Value();
  struct ucred credentials {};
  socklen_t length = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0 || length != sizeof credentials) {
    throw Napi::Error::New(env, std::string("peerCredentials: getsockopt(SO_PEERCRED) failed: ") + std::strerror(errno));
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("pid", Napi::Number::New(env, credentials.pid));
  result.Set("uid", Napi::Number::New(env, credentials.uid));
  result.Set("gid", Napi::Number::New(env, credentials.gid));
  return result;
}

}  // namespace

void bind_peer_credentials(Napi::Env env, Napi::Object exports) {
  exports.Set("peerCredentials", Napi::Function::New(env, PeerCredentials, "peerCredentials"));
}

}  // namespace swarmpress
