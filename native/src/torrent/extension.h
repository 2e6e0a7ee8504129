// The BEP 10 extension of swarmpress: one named extension message per session, used to
// push small signed records (new site versions) to the peers of a torrent.
//
// Threading: the plugin objects live on libtorrent's network thread. Received messages
// are copied into a bounded inbox under a mutex and the JS thread is woken through libuv;
// sends are posted from JS to the network thread. No JS runs on a libtorrent thread.
#pragma once
#include <libtorrent/extensions.hpp>
#include <libtorrent/session.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace swarmpress {

/** Largest payload of one extension message, in bytes (a signed BEP 44 record is < 1.2 KB). */
constexpr size_t kMaxExtensionPayload = 16 * 1024;
/** Peer messages held for JS at most; more are dropped and counted (a flooding peer). */
constexpr size_t kMaxInbox = 1024;

struct ExtensionEvent {
  enum class Kind { message, peer, sent } kind;
  std::string torrent;    // torrent id (hex)
  std::string address;    // peer address
  int port = 0;
  std::string payload;    // message bytes (kind == message)
  int count = 0;          // peers reached (kind == sent)
};

class ExtensionHub {
 public:
  ExtensionHub(std::string name, std::function<void()> wake) : name_(std::move(name)), wake_(std::move(wake)) {}
  const std::string& name() const { return name_; }
  // Network thread.
  void push(ExtensionEvent event);
  // JS thread.
  std::vector<ExtensionEvent> drain(uint64_t* dropped);
  void set_wake(std::function<void()> wake);

 private:
  std::string name_;
  std::mutex mutex_;
  std::vector<ExtensionEvent> inbox_;
  size_t messages_ = 0;  // peer messages in inbox_
  uint64_t dropped_ = 0;
  std::function<void()> wake_;
};

class TorrentExtension;

// The session plugin; keeps the torrent plugins by torrent id (network thread only).
class ExtensionPlugin : public lt::plugin, public std::enable_shared_from_this<ExtensionPlugin> {
 public:
  explicit ExtensionPlugin(std::shared_ptr<ExtensionHub> hub) : hub_(std::move(hub)) {}
  std::shared_ptr<lt::torrent_plugin> new_torrent(lt::torrent_handle const& torrent, lt::client_data_t) override;
  // Network thread: sends `payload` to the peers of torrent `id` that speak the extension
  // (all of them, or the one at address:port); reports the count as a `sent` event.
  void send(const std::string& id, const std::string& address, int port, const std::string& payload);

 private:
  std::shared_ptr<ExtensionHub> hub_;
  std::map<std::string, std::weak_ptr<TorrentExtension>> torrents_;
};

}  // namespace swarmpress
