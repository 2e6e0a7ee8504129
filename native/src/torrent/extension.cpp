#include "extension.h"

#include <libtorrent/bdecode.hpp>
#include <libtorrent/peer_connection_handle.hpp>
#include <libtorrent/torrent_handle.hpp>

#include "common.h"

namespace swarmpress {

namespace {
// The id under which we receive our message (BEP 10: chosen by the receiver, 1..255).
constexpr int kLocalMessageId = 61;
constexpr char kBitTorrentExtended = 20;  // BEP 10 message type
}  // namespace

void ExtensionHub::push(ExtensionEvent event) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Only what peers send is capped (a flooding peer); reports of our own sends and of new
  // peers are bounded by our calls and by the connection limit.
  if (event.kind == ExtensionEvent::Kind::message && messages_ >= kMaxInbox) {
    dropped_++;
    return;
  }
  if (event.kind == ExtensionEvent::Kind::message) messages_++;
  inbox_.push_back(std::move(event));
  // Under the lock: set_wake({}) then guarantees that no wake-up reaches a closed handle.
  // uv_async_send does not block.
  if (wake_) wake_();
}

std::vector<ExtensionEvent> ExtensionHub::drain(uint64_t* dropped) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ExtensionEvent> out;
  out.swap(inbox_);
  messages_ = 0;
  *dropped = dropped_;
  return out;
}

void ExtensionHub::set_wake(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mutex_);
  wake_ = std::move(wake);
}

class PeerExtension : public lt::peer_plugin {
 public:
  PeerExtension(lt::peer_connection_handle connection, std::shared_ptr<ExtensionHub> hub, std::string torrent)
      : connection_(std::move(connection)), hub_(std::move(hub)), torrent_(std::move(torrent)) {}

  lt::string_view type() const override { return "swarmpress"; }

  void add_handshake(lt::entry& handshake) override { handshake["m"][hub_->name()] = kLocalMessageId; }

  bool on_extension_handshake(lt::bdecode_node const& handshake) override {
    lt::bdecode_node messages = handshake.dict_find_dict("m");
    if (!messages) return true;
    std::int64_t id = messages.dict_find_int_value(hub_->name(), 0);
    if (id > 0 && id <= 255) {
      remote_id_ = static_cast<int>(id);
      auto const& remote = connection_.remote();
      hub_->push({ExtensionEvent::Kind::peer, torrent_, remote.address().to_string(), remote.port(), {}, 0});
    }
    return true;
  }

  bool on_extended(int length, int message, lt::span<char const> body) override {
    if (message != kLocalMessageId) return false;
    if (length < 0 || static_cast<size_t>(length) > kMaxExtensionPayload) {
      // A peer that sends more than any record can be is not speaking our protocol.
      connection_.disconnect(lt::errors::invalid_message, lt::operation_t::bittorrent, lt::peer_connection_interface::normal);
      return true;
    }
    if (body.size() < length) return true;  // more fragments follow
    auto const& remote = connection_.remote();
    hub_->push({ExtensionEvent::Kind::message, torrent_, remote.address().to_string(), remote.port(),
                std::string(body.data(), static_cast<size_t>(body.size())), 0});
    return true;
  }

  // Network thread.
  bool send(const std::string& payload) {
    if (remote_id_ <= 0 || connection_.is_disconnecting()) return false;
    std::string frame;
    auto size = static_cast<uint32_t>(payload.size() + 2);
    frame.push_back(static_cast<char>(size >> 24));
    frame.push_back(static_cast<char>(size >> 16));
    frame.push_back(static_cast<char>(size >> 8));
    frame.push_back(static_cast<char>(size));
    frame.push_back(kBitTorrentExtended);
    frame.push_back(static_cast<char>(remote_id_));
    frame += payload;
    connection_.send_buffer(frame.data(), static_cast<int>(frame.size()));
    return true;
  }

  bool matches(const std::string& address, int port) const {
    auto const& remote = connection_.remote();
    return address.empty() || (remote.address().to_string() == address && remote.port() == port);
  }

 private:
  lt::peer_connection_handle connection_;
  std::shared_ptr<ExtensionHub> hub_;
  std::string torrent_;
  int remote_id_ = 0;
};

class TorrentExtension : public lt::torrent_plugin {
 public:
  TorrentExtension(std::shared_ptr<ExtensionHub> hub, std::string id) : hub_(std::move(hub)), id_(std::move(id)) {}

  std::shared_ptr<lt::peer_plugin> new_connection(lt::peer_connection_handle const& connection) override {
    if (connection.type() != lt::connection_type::bittorrent) return nullptr;
    auto peer = std::make_shared<PeerExtension>(connection, hub_, id_);
    peers_.push_back(peer);
    return peer;
  }

  int send(const std::string& address, int port, const std::string& payload) {
    int count = 0;
    for (auto it = peers_.begin(); it != peers_.end();) {
      auto peer = it->lock();
      if (!peer) {
        it = peers_.erase(it);
        continue;
      }
      if (peer->matches(address, port) && peer->send(payload)) count++;
      ++it;
    }
    return count;
  }

 private:
  std::shared_ptr<ExtensionHub> hub_;
  std::string id_;
  std::vector<std::weak_ptr<PeerExtension>> peers_;
};

std::shared_ptr<lt::torrent_plugin> ExtensionPlugin::new_torrent(lt::torrent_handle const& torrent, lt::client_data_t) {
  std::string id = torrent_id(torrent.info_hashes());
  auto extension = std::make_shared<TorrentExtension>(hub_, id);
  torrents_[id] = extension;
  return extension;
}

void ExtensionPlugin::send(const std::string& id, const std::string& address, int port, const std::string& payload) {
  int count = 0;
  auto found = torrents_.find(id);
  if (found != torrents_.end()) {
    if (auto torrent = found->second.lock()) {
      count = torrent->send(address, port, payload);
    } else {
      torrents_.erase(found);
    }
  }
  hub_->push({ExtensionEvent::Kind::sent, id, address, port, {}, count});
}

}  // namespace swarmpress
