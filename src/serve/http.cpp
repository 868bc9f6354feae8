// Streamable HTTP on /mcp (cpp-httplib): legacy sessions, modern stateless requests, bearer
// tokens mapped to roles, Origin checks.
#include <httplib.h>
#include <openssl/evp.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <map>
#include <random>
#include <semaphore>

#include "og/io.hpp"
#include "og/serve.hpp"
#include "serve/queue.hpp"
#include "serve/serve.hpp"

namespace og {

namespace {

std::mutex server_mutex;
httplib::Server* running_server = nullptr;

/// Notifications waiting for a client's SSE stream: a legacy session's GET stream or a
/// 2026-07-28 `subscriptions/listen` response. Bounded: a client that stops reading loses the
/// oldest (each says only "read again").
struct Outbox {
  serve::MessageQueue messages{256};
  std::atomic<bool> streaming{false}; ///< a stream is draining it now

  void push(std::string message) { messages.push(std::move(message)); }
  void close() { messages.close(); }
};

struct SessionEntry {
  Session session;
  std::chrono::steady_clock::time_point last_used;
  std::shared_ptr<Outbox> outbox;
  std::shared_ptr<serve::CancelledIds> cancelled = std::make_shared<serve::CancelledIds>();
};

/// One POST's request as the dispatcher needs it, kept alive for a streamed response.
struct PostedRequest {
  std::string body, version, method, name;
  bool has_version = false, has_method = false, has_name = false;
  Session session;
  std::shared_ptr<serve::CancelledIds> cancelled = std::make_shared<serve::CancelledIds>();
  std::atomic<bool> gone{false}; ///< the client closed the response stream: a cancellation

  HttpHeaders headers() const {
    return {has_version ? &version : nullptr, has_method ? &method : nullptr,
            has_name ? &name : nullptr};
  }
  CallControl control(std::function<void(const std::string&)> send) {
    return {std::move(send), [this](const std::string& id) { return gone || cancelled->has(id); }};
  }
};

/// How often a quiet stream sends an SSE comment, so proxies and clients keep it open and a
/// client that went away is noticed: its stream ends at the second write after it left. Each
/// 2026-07-28 client opens a listen stream and leaves; at 15 s, 32 short-lived clients held
/// every stream slot and the next got 503 (found by the inspector CLI, run back to back).
constexpr auto keep_alive_interval = std::chrono::seconds(1);

constexpr auto session_idle_limit = std::chrono::hours(1);
/// Connections the kernel queues before og accepts them (net.core.somaxconn caps it).
constexpr int listen_backlog = 1024;

std::string random_session_id() {
  std::random_device device; // getrandom(2) on Linux: cryptographically random
  std::string id;
  for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", device());
  return id;
}

bool allowed_origin(const std::string& origin, const HttpOptions& options) {
  for (const char* local : {"http://localhost", "https://localhost", "http://127.0.0.1",
                            "https://127.0.0.1", "http://[::1]"})
    if (origin == local || origin.rfind(std::string(local) + ":", 0) == 0) return true;
  return std::find(options.allowed_origins.begin(), options.allowed_origins.end(), origin) !=
         options.allowed_origins.end();
}

void json_error(httplib::Response& res, int status, int code, const std::string& message) {
  res.status = status;
  res.set_content(serve::json{{"jsonrpc", "2.0"},
                              {"id", nullptr},
                              {"error", {{"code", code}, {"message", message}}}}
                      .dump(),
                  "application/json");
}

class HttpFront {
public:
  HttpFront(const Dispatcher& dispatcher, const HttpOptions& options)
      : dispatcher_(dispatcher), options_(options),
        dispatching_(static_cast<std::ptrdiff_t>(dispatcher.limits().max_concurrent)) {}

  /// The Origin check and the bearer token: the caller, or nullopt with `res` answered.
  std::optional<Caller> admit(const httplib::Request& req, httplib::Response& res) const {
    if (req.has_header("Origin") && !allowed_origin(req.get_header_value("Origin"), options_)) {
      reject(req, 403, "origin `" + req.get_header_value("Origin") + "` not allowed");
      json_error(res, 403, -32600, "origin not allowed (og serve --allow-origin admits one)");
      return std::nullopt;
    }
    auto caller = authenticate(req);
    if (!caller) {
      bool missing = !req.has_header("Authorization");
      reject(req, 401, missing ? "no bearer token" : "unknown bearer token");
      res.set_header("WWW-Authenticate", "Bearer realm=\"og\", error=\"invalid_token\"");
      json_error(res, 401, -32600,
                 missing ? "this server needs `Authorization: Bearer <token>`"
                         : "unknown bearer token: its SHA-256 is not in the token file (og "
                           "serve --tokens; `og token hash` makes an entry from a token)");
    }
    return caller;
  }

  void post(const httplib::Request& req, httplib::Response& res) {
    auto caller = admit(req, res);
    if (!caller) return;
    auto posted = std::make_shared<PostedRequest>();
    posted->body = req.body;
    posted->version = req.get_header_value("MCP-Protocol-Version");
    posted->method = req.get_header_value("Mcp-Method");
    posted->name = req.get_header_value("Mcp-Name");
    posted->has_version = req.has_header("MCP-Protocol-Version");
    posted->has_method = req.has_header("Mcp-Method");
    posted->has_name = req.has_header("Mcp-Name");
    posted->session = Session{*caller, {}};
    std::string session_id = req.get_header_value("Mcp-Session-Id");
    if (!session_id.empty() && posted->version != "2026-07-28") {
      std::lock_guard<std::mutex> lock(sessions_mutex_);
      auto found = find_session(session_id, *caller);
      if (!found)
        return json_error(res, 404, -32600, "unknown or expired session: initialize again");
      posted->session.protocol_version = found->session.protocol_version;
      posted->session.channel = found->session.channel;
      posted->cancelled = found->cancelled;
    }
    if (streams_progress(req)) return respond_streaming(res, posted);
    HttpHeaders headers = posted->headers();
    CallControl control = posted->control(nullptr);
    dispatching_.acquire(); // connections are cheap threads; the work itself is bounded
    DispatchReply reply = dispatcher_.handle(posted->body, posted->session, &headers, &control);
    dispatching_.release();
    if (!reply.cancelled.empty()) posted->cancelled->add(reply.cancelled);
    if (reply.listen) return listen(req, res, *caller, *reply.listen);
    if (reply.initialized) res.set_header("Mcp-Session-Id", open_session(posted->session));
    if (reply.body.empty()) {
      res.status = 202;
      return;
    }
    res.status = reply.http_status;
    res.set_content(reply.body, "application/json");
  }

  /// A tool call that asks for progress, from a client that reads SSE, is answered as a stream:
  /// `notifications/progress` while it runs, then the response.
  static bool streams_progress(const httplib::Request& req) {
    const std::string& body = req.body;
    return body.find("\"progressToken\"") != std::string::npos &&
           body.find("\"tools/call\"") != std::string::npos &&
           body.find("\"initialize\"") == std::string::npos &&
           req.get_header_value("Accept").find("text/event-stream") != std::string::npos;
  }

  void respond_streaming(httplib::Response& res, std::shared_ptr<PostedRequest> posted) {
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [this, posted](size_t,
                                                                         httplib::DataSink& sink) {
      auto write = [&](const std::string& message) {
        std::string event = "data: " + message + "\n\n";
        if (!sink.write(event.data(), event.size())) posted->gone = true;
      };
      HttpHeaders headers = posted->headers();
      CallControl control = posted->control(write);
      dispatching_.acquire();
      DispatchReply reply = dispatcher_.handle(posted->body, posted->session, &headers, &control);
      dispatching_.release();
      if (!reply.body.empty()) write(reply.body);
      sink.done();
      return true;
    });
  }

  /// GET: a legacy session's stream of notifications (subscriptions, list changes).
  void get(const httplib::Request& req, httplib::Response& res) {
    auto caller = admit(req, res);
    if (!caller) return;
    if (req.get_header_value("MCP-Protocol-Version") == "2026-07-28") {
      res.status = 405; // 2026-07-28 has no GET stream: subscriptions/listen replaces it
      res.set_header("Allow", "POST");
      return;
    }
    if (req.get_header_value("Accept").find("text/event-stream") == std::string::npos)
      return json_error(res, 406, -32600, "GET /mcp is an SSE stream: Accept text/event-stream");
    std::string session_id = req.get_header_value("Mcp-Session-Id");
    if (session_id.empty())
      return json_error(res, 400, -32600, "GET /mcp needs the Mcp-Session-Id of an initialize");
    std::shared_ptr<Outbox> outbox;
    {
      std::lock_guard<std::mutex> lock(sessions_mutex_);
      auto found = find_session(session_id, *caller);
      if (!found)
        return json_error(res, 404, -32600, "unknown or expired session: initialize again");
      outbox = found->outbox;
    }
    if (!stream_slot_free(req, res)) return;
    if (outbox->streaming.exchange(true))
      return json_error(res, 409, -32600, "this session has a stream open already");
    stream(res, outbox, [outbox](bool) { outbox->streaming = false; });
  }

  /// Each open stream holds a connection thread: at most half of them stream, so requests
  /// still get through. Answers 503 when none is free.
  bool stream_slot_free(const httplib::Request& req, httplib::Response& res) {
    if (open_streams_ < max_streams()) return true;
    reject(req, 503, "too many open notification streams");
    json_error(res, 503, -32600, "too many open notification streams; try later");
    return false;
  }

  void remove(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    auto found = sessions_.find(req.get_header_value("Mcp-Session-Id"));
    if (found == sessions_.end()) {
      res.status = 404;
      return;
    }
    end_session(found->second);
    sessions_.erase(found);
    res.status = 200;
  }

  /// Ends every stream (og serve is stopping): a listen stream sends its final response.
  void close_streams() {
    std::lock_guard<std::mutex> lock(streams_mutex_);
    for (const auto& outbox : streams_) outbox->close();
    stopping_ = true;
  }

  /// One log line per rejected request: who, what status, why (never the token itself).
  void reject(const httplib::Request& req, int status, const std::string& why) const {
    if (options_.log)
      options_.log(fmt::format("rejected {} {} from {}:{}: {} {}", req.method, req.path,
                               req.remote_addr, req.remote_port, status, why));
  }

private:
  std::optional<Caller> authenticate(const httplib::Request& req) const {
    if (options_.tokens.empty()) return Caller{};
    std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) != 0) return std::nullopt;
    std::string hash = sha256_hex(std::string_view(header).substr(7));
    for (const auto& [digest, role] : options_.tokens)
      if (digest == hash) return role.empty() ? Caller{} : Caller{role};
    return std::nullopt;
  }

  /// The session `id` if `caller` opened it (a session is its caller's: another token's holder
  /// reads it as unknown). Call with sessions_mutex_ held.
  SessionEntry* find_session(const std::string& id, const Caller& caller) {
    auto found = sessions_.find(id);
    if (found == sessions_.end() || found->second.session.caller.role != caller.role)
      return nullptr;
    found->second.last_used = std::chrono::steady_clock::now();
    return &found->second;
  }

  std::string open_session(Session session) {
    auto outbox = std::make_shared<Outbox>();
    session.channel = dispatcher_.notifier().open(
        session.caller, [outbox](const std::string& m) { outbox->push(m); }, true);
    track(outbox);
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    auto now = std::chrono::steady_clock::now();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      bool idle = now - it->second.last_used > session_idle_limit;
      if (!idle || it->second.outbox->streaming) { // one reading its stream is in use
        ++it;
        continue;
      }
      end_session(it->second);
      it = sessions_.erase(it);
    }
    std::string id = random_session_id();
    sessions_[id] = {session, now, outbox};
    return id;
  }

  void end_session(SessionEntry& entry) {
    dispatcher_.notifier().close(entry.session.channel);
    entry.outbox->close();
    std::lock_guard<std::mutex> lock(streams_mutex_);
    streams_.erase(entry.outbox);
  }

  /// Registers an outbox so that close_streams() reaches it; closed at once when stopping.
  void track(const std::shared_ptr<Outbox>& outbox) {
    std::lock_guard<std::mutex> lock(streams_mutex_);
    streams_.insert(outbox);
    if (stopping_) outbox->close();
  }

  /// POST subscriptions/listen (2026-07-28): the response is an SSE stream that acknowledges,
  /// carries the granted notifications and, when the server ends it, the final response.
  void listen(const httplib::Request& req, httplib::Response& res, const Caller& caller,
              const DispatchReply::Listen& listen) {
    if (!stream_slot_free(req, res)) return;
    auto outbox = std::make_shared<Outbox>();
    outbox->push(listen.acknowledged);
    Notifier& notifier = dispatcher_.notifier();
    uint64_t channel = notifier.open(
        caller, [outbox](const std::string& m) { outbox->push(m); }, listen.list_changed,
        listen.id);
    for (const auto& uri : listen.uris) notifier.subscribe(channel, uri);
    track(outbox);
    stream(
        res, outbox,
        [this, outbox, channel](bool) {
          dispatcher_.notifier().close(channel);
          std::lock_guard<std::mutex> lock(streams_mutex_);
          streams_.erase(outbox);
        },
        listen.id);
  }

  size_t max_streams() const {
    return std::max<size_t>(1, dispatcher_.limits().max_connections / 2);
  }

  /// Answers with an SSE stream that drains `outbox` until it is closed or the client leaves.
  /// `listen_id`: the subscriptions/listen whose final response ends the stream.
  void stream(httplib::Response& res, std::shared_ptr<Outbox> outbox,
              std::function<void(bool)> release, std::string listen_id = {}) {
    ++open_streams_;
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream",
        [outbox, listen_id](size_t, httplib::DataSink& sink) {
          bool closed = false;
          std::deque<std::string> ready = outbox->messages.take(keep_alive_interval, closed);
          std::string events = ready.empty() && !closed ? ": keep-alive\n\n" : "";
          for (const auto& m : ready) events += "data: " + m + "\n\n";
          if (closed && !listen_id.empty())
            events += "data: " + Dispatcher::listen_closed(listen_id) + "\n\n";
          if (!events.empty() && !sink.write(events.data(), events.size())) return false;
          if (closed) sink.done();
          return true;
        },
        [this, release = std::move(release)](bool success) {
          --open_streams_;
          release(success);
        });
  }

  const Dispatcher& dispatcher_;
  const HttpOptions& options_;
  std::counting_semaphore<> dispatching_;
  std::mutex sessions_mutex_;
  std::map<std::string, SessionEntry> sessions_;
  std::mutex streams_mutex_;
  std::set<std::shared_ptr<Outbox>> streams_; // every outbox a stream may wait on
  bool stopping_ = false;
  std::atomic<size_t> open_streams_{0};
};

HttpFront* running_front = nullptr; // guarded by server_mutex

} // namespace

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Result<std::vector<std::pair<std::string, std::string>>> read_token_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  serve::json doc = serve::json::parse(text.value(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("tokens") ||
      !doc["tokens"].is_array())
    return Error{path + ": expected {\"tokens\": [{\"sha256\": \"<hex>\", \"role\": \"…\"}]}"};
  std::vector<std::pair<std::string, std::string>> tokens;
  for (size_t i = 0; i < doc["tokens"].size(); ++i) {
    const serve::json& t = doc["tokens"][i];
    bool ok = t.is_object() && t.contains("sha256") && t["sha256"].is_string() &&
              t["sha256"].get<std::string>().size() == 64 &&
              (!t.contains("role") || t["role"].is_string() || t["role"].is_null());
    if (!ok)
      return Error{fmt::format("{}: tokens[{}]: needs \"sha256\" (64 hex digits) and a "
                               "\"role\" string (or null for every node)",
                               path, i)};
    std::string role =
        t.contains("role") && t["role"].is_string() ? t["role"].get<std::string>() : "";
    tokens.emplace_back(t["sha256"].get<std::string>(), role);
  }
  return tokens;
}

Status serve_http(const Dispatcher& dispatcher, const HttpOptions& options,
                  std::function<void(int)> on_listening) {
  httplib::Server server;
  HttpFront front(dispatcher, options);
  const ServeLimits& limits = dispatcher.limits();
  server.set_payload_max_length(limits.max_request_bytes);
  // cpp-httplib answers an oversized body itself, with an empty 413: give it a JSON-RPC error.
  server.set_error_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (res.status != 413 || !res.body.empty()) return;
    front.reject(req, 413, fmt::format("body over {} bytes", limits.max_request_bytes));
    json_error(res, 413, -32600,
               fmt::format("request larger than {} bytes (og serve --max-request-bytes)",
                           limits.max_request_bytes));
  });
  server.set_tcp_nodelay(true); // else Nagle + delayed ACK hold every small reply ~40 ms
  server.set_read_timeout(static_cast<time_t>(limits.timeout_seconds), 0);
  server.set_write_timeout(static_cast<time_t>(limits.timeout_seconds), 0);
  // A keep-alive connection holds its thread while open: threads are sized for connections
  // and kept for many requests; max_concurrent bounds the dispatching itself.
  server.new_task_queue = [n = limits.max_connections] { return new httplib::ThreadPool(n); };
  server.set_keep_alive_max_count(100000);
  server.Post("/mcp",
              [&](const httplib::Request& req, httplib::Response& res) { front.post(req, res); });
  server.Get("/mcp",
             [&](const httplib::Request& req, httplib::Response& res) { front.get(req, res); });
  server.Delete(
      "/mcp", [&](const httplib::Request& req, httplib::Response& res) { front.remove(req, res); });
  // The packaged cpp-httplib listens with a backlog of 5: a burst of 32 clients overflows it and
  // the kernel resets connections. Keep the socket, and listen again with a real backlog (Linux
  // lets listen(2) on a listening socket change its backlog).
  int listen_fd = -1;
  server.set_socket_options([&](int sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) return Error{"cannot bind " + options.host};
  } else if (!server.bind_to_port(options.host, port)) {
    return Error{fmt::format("cannot listen on {}:{} (in use?)", options.host, port)};
  }
  if (listen_fd >= 0) ::listen(listen_fd, listen_backlog);
  {
    std::lock_guard<std::mutex> lock(server_mutex);
    running_server = &server;
    running_front = &front;
  }
  if (on_listening) on_listening(port);
  bool ok = server.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(server_mutex);
    running_server = nullptr;
    running_front = nullptr;
  }
  return ok ? ok_status() : Status(Error{"the HTTP server stopped with an error"});
}

void stop_http() {
  std::lock_guard<std::mutex> lock(server_mutex);
  if (running_front) running_front->close_streams(); // else their threads hold stop() up
  if (running_server) running_server->stop();
}

} // namespace og
