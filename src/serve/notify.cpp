// Change notifications: channels to clients, their subscriptions, and what a swap changed for
// each caller (docs/cli.md, og serve, "Subscriptions").
#include "og/serve.hpp"
#include "serve/serve.hpp"

namespace og {

namespace {

std::string notification(const char* method, serve::json params,
                         const std::string& subscription_id) {
  if (!subscription_id.empty())
    params["_meta"] = {
        {"io.modelcontextprotocol/subscriptionId", serve::json::parse(subscription_id)}};
  serve::json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.empty()) message["params"] = std::move(params);
  return message.dump(-1, ' ', false, serve::json::error_handler_t::replace);
}

} // namespace

uint64_t Notifier::open(Caller caller, Send send, bool list_changed, std::string subscription_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t id = next_++;
  channels_[id] = {
      std::move(caller), std::move(send), list_changed, std::move(subscription_id), {}};
  return id;
}

void Notifier::close(uint64_t channel) {
  std::lock_guard<std::mutex> lock(mutex_);
  channels_.erase(channel);
}

bool Notifier::subscribe(uint64_t channel, const std::string& uri) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = channels_.find(channel);
  if (found == channels_.end()) return true; // no channel (an in-memory session): nothing to send
  auto& uris = found->second.uris;
  if (uris.size() >= max_subscriptions && !uris.count(uri)) return false;
  uris.insert(uri);
  return true;
}

void Notifier::unsubscribe(uint64_t channel, const std::string& uri) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = channels_.find(channel); found != channels_.end()) found->second.uris.erase(uri);
}

namespace {

/// Whether what the caller reads at `uri` differs between the two libraries; never for a
/// resource absent from both (hidden or unknown either way, so never named). A document the
/// older library never parsed may have no bytes left in the index: it changed, then.
bool resource_changed(const std::string& uri, const serve::CallContext& before,
                      const serve::CallContext& after) {
  try {
    auto now = serve::read_resource(uri, after);
    try {
      return serve::read_resource(uri, before) != now;
    } catch (const std::runtime_error&) {
      return now.has_value();
    }
  } catch (const std::runtime_error&) {
    return false; // changed again already: the next swap tells
  }
}

} // namespace

void Notifier::changed(const Library& before, const Library& after,
                       const std::set<std::string>& docs) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& entry : channels_) {
    Channel& channel = entry.second; // not a structured binding: clang 14 cannot capture one
    serve::CallContext old_view{before, channel.caller, limits_, nullptr, nullptr, {}};
    serve::CallContext new_view{after, channel.caller, limits_, nullptr, nullptr, {}};
    for (const auto& uri : channel.uris) {
      auto doc = serve::document_of(uri);
      if (!doc || !docs.count(*doc)) continue;
      if (!resource_changed(uri, old_view, new_view)) continue;
      channel.send(
          notification("notifications/resources/updated", {{"uri", uri}}, channel.subscription_id));
    }
    if (!channel.list_changed) continue;
    for (const auto& name : docs) {
      const PreparedDocument* was = before.prepared(name);
      const PreparedDocument* now = after.prepared(name);
      auto listed = [&](const PreparedDocument* d) {
        return d ? serve::document_resources(*d, channel.caller) : std::vector<serve::json>{};
      };
      if (listed(was) != listed(now)) {
        channel.send(notification("notifications/resources/list_changed", serve::json::object(),
                                  channel.subscription_id));
        break;
      }
    }
  }
}

} // namespace og
