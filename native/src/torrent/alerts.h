// libtorrent alerts as plain frozen JS objects with a `type` discriminant (alert::what()).
#pragma once
#include <napi.h>

#include <libtorrent/alert.hpp>
#include <libtorrent/torrent_status.hpp>

namespace swarmpress {
Napi::Object alert_to_object(Napi::Env env, lt::alert const* alert);
Napi::Object status_to_object(Napi::Env env, lt::torrent_status const& status);
}  // namespace swarmpress
