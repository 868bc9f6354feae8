// og serve: a Model Context Protocol server over a set of documents.
//
// Transport x dispatcher x one handler per tool. The Dispatcher turns one JSON-RPC message into
// a reply and knows nothing of sockets: stdio, Streamable HTTP and the in-memory transport of
// the tests and the fuzzer all drive it. Dual-era: the `initialize` handshake (2025-11-25,
// 2025-06-18, 2025-03-26) and the stateless 2026-07-28 requests with `_meta`.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "og/index.hpp"
#include "og/io.hpp"
#include "og/query.hpp"
#include "og/result.hpp"

namespace og {

/// Named limits (docs/cli.md, og serve).
struct ServeLimits {
  size_t max_request_bytes = 1 << 20; ///< larger messages are refused (-32600 / HTTP 413)
  size_t max_tokens = 20000;          ///< cap on resolve_context's budget and on what it returns
  size_t max_concurrent = 8;          ///< HTTP requests dispatched at once (others wait)
  size_t max_connections = 64;        ///< HTTP connections served at once (a thread each)
  unsigned timeout_seconds = 30;      ///< HTTP read/write timeouts
  size_t page_size = 100;             ///< resources/list page
};

/// Called after a reload swapped the served documents: the library before and after, and the
/// served names of the documents that were added, changed or removed.
using SwapListener = std::function<void(const Library& before, const Library& after,
                                        const std::set<std::string>& changed)>;

/// Every document file under `roots` by the name a DocumentStore serves it as, with its
/// signature (stat only: nothing is read).
std::map<std::string, FileSignature> served_files(const std::vector<std::string>& roots,
                                                  WalkOptions walk);

/// What the last load or reload did, for `og index` and the logs.
struct ReloadStats {
  size_t files = 0;   ///< documents the walk found
  size_t read = 0;    ///< files read and parsed from the tree
  size_t counted = 0; ///< of those, tokenized (bytes the index did not hold)
  size_t written = 0; ///< documents written to the index
  size_t removed = 0; ///< documents gone since
  size_t refused = 0; ///< files not served as they are on disk
  bool committed = false;
};

/// The documents being served, swapped as a whole when files change: a call holds the
/// snapshot it started with, so in-flight calls finish on the old version.
/// How far a store's first load is.
struct LoadProgress {
  size_t read = 0, found = 0;       ///< files read (or taken from the index) of files found
  size_t indexed = 0, to_index = 0; ///< then files written to the index of those that changed
};

class DocumentStore {
public:
  /// Loads every document under `paths` (walk_documents). Files that cannot be read or have
  /// errors are reported through `log` and left out; an empty folder is served empty (its
  /// documents are picked up as they appear). A path that does not exist is an error.
  /// `progress` hears how far the first load is: files read of files found while it reads the
  /// tree, then files written to the index of those it must write.
  /// With `index` (a CorpusIndex opened for writing), the store keeps it: a file whose
  /// signature or bytes the index already holds is neither tokenized nor indexed again, and
  /// every reload updates it file by file and commits before the swap.
  /// `names_as_given`: documents keep the paths the walk gives (`docs/ops/x.og`, as the CLI
  /// names them) while the index knows them by the served name (`ops/x.og`).
  static Result<std::shared_ptr<DocumentStore>>
  open(std::vector<std::string> paths, Tokenizer tokenizer, std::function<void(std::string)> log,
       WalkOptions walk = {}, std::function<void(const LoadProgress&)> progress = nullptr,
       std::optional<CorpusIndex> index = std::nullopt, bool names_as_given = false);
  /// open() without the first load: the store serves an empty library until load() (run on
  /// another thread) swaps the documents in, so `og serve` answers `initialize` at once and
  /// says "still reading n of N files" to what needs the documents (loading()).
  static Result<std::shared_ptr<DocumentStore>>
  open_deferred(std::vector<std::string> paths, Tokenizer tokenizer,
                std::function<void(std::string)> log, WalkOptions walk = {},
                std::optional<CorpusIndex> index = std::nullopt, bool names_as_given = false);
  /// The first load of a store from open_deferred(), with open()'s `progress`; false when the
  /// search index could not be built. From the reloading thread only.
  bool load(std::function<void(const LoadProgress&)> progress = nullptr);
  /// While the first load runs: how far it is ("read 1200 of 40000 files"); nullopt after.
  std::optional<std::string> loading() const;
  /// Waits until the first load is done or `timeout` passes; loading() then.
  std::optional<std::string> wait_loaded(std::chrono::milliseconds timeout) const;
  /// How far the first load is.
  LoadProgress load_progress() const {
    return {files_read_, files_found_, files_indexed_, files_to_index_};
  }
  /// Serves the documents an index holds (opened for reading), named as its writer named them,
  /// without reading any tree: a replica that xapian-replicate keeps, or the index another og
  /// process writes. reload() moves to the index's newest commit; og serve calls it on a timer.
  static Result<std::shared_ptr<DocumentStore>> follow(CorpusIndex index, Tokenizer tokenizer,
                                                       std::function<void(std::string)> log);
  /// Whether this store follows an index rather than files.
  bool following() const { return following_; }
  /// The index revision last served (0 without an index). From the reloading thread only.
  uint64_t index_revision() const { return index_ ? index_->revision() : 0; }
  /// A store of documents that live only in memory (tests, fuzzing): nothing to reload.
  static Result<std::shared_ptr<DocumentStore>> hold(std::vector<Document> documents,
                                                     Tokenizer tokenizer);
  std::shared_ptr<const Library> snapshot() const;
  /// Walks the roots again and re-reads each file whose signature (inode, size, mtime) changed,
  /// and each of `changed`; files in `being_written` (opened for writing and not closed yet)
  /// keep their current version. A file that no longer parses cleanly keeps its last good
  /// version and the problem is logged. Linear in files. Returns whether anything was swapped.
  /// `only_changed`: `changed` names every file that changed since the last reload (the
  /// watcher saw each change and none to a folder, a link or an ignore file); then only they
  /// are looked at when a walk of this tree can be judged file by file (walk_lists()), and
  /// the tree is walked otherwise.
  bool reload(const std::vector<std::string>& changed,
              const std::set<std::string>& being_written = {}, bool only_changed = false);
  const std::vector<std::string>& roots() const { return roots_; }
  /// Every document file under `roots` by the name a DocumentStore serves it as, with its
  /// signature (stat only: nothing is read).
  std::map<std::string, FileSignature> served_files(const std::vector<std::string>& roots,
                                                    WalkOptions walk);

  /// What the last load or reload did.
  ReloadStats last_reload() const;
  /// Registers a listener for every later swap (og serve's change notifications).
  void on_swap(SwapListener listener);
  /// How a file is named to clients: relative to the deepest directory holding every root.
  std::string name_of(const std::string& file) const;

private:
  struct Entry {
    FileSignature signature;
    /// Last good version; null: never read cleanly.
    std::shared_ptr<const PreparedDocument> document;
    std::string problem; ///< why the file on disk is not what is served; empty when it is
    /// What the index holds of this version: nothing, its bytes under another signature (a
    /// touch), or exactly it.
    enum class Indexed : uint8_t { no, bytes, exactly } indexed = Indexed::no;
  };
  /// Every record an index holds, for a first load: read_records().
  struct Recorded {
    std::vector<IndexedFile> records; ///< empty once made into `entries`
    /// records[i] served by its indexed name: made while the tree is walked. Empty when
    /// documents are shown by other names (each is parsed once the walk names its file).
    std::vector<Entry> entries;
    std::unordered_map<std::string, size_t> by_name; ///< name -> records[i], entries[i]
    size_t damaged = 0;                              ///< records that cannot be decoded
    bool complete = false;                           ///< every record was read
  };
  DocumentStore() = default;
  Recorded read_records() const;
  Entry read_entry(const std::string& file, const std::string& name, const FileSignature& sig,
                   const Entry* old);
  /// The version the index recorded for `name`, when its signature is `*sig` (any when null):
  /// served from the stored bytes and token costs, nothing read or counted again. `stored`:
  /// its record, already read (else it is read now).
  std::optional<Entry> indexed_entry(const std::string& name, const std::string& shown,
                                     const FileSignature* sig,
                                     std::optional<IndexedFile> stored = std::nullopt) const;
  /// The document an index record holds, shown as `shown`; null when its bytes do not hash
  /// as recorded or (shown by another name than indexed) do not parse. Shown by its indexed
  /// name, it is parsed on first use, from what the record says of it.
  std::shared_ptr<const PreparedDocument> from_record(IndexedFile record,
                                                      const std::string& shown) const;
  /// Whether a document parses to the same outline shown as `shown` as under `name`: the only
  /// thing parse takes from a path is the title of a document without one (file_title).
  static bool derived_alike(const std::string& shown, const std::string& name);
  /// The path a document read from `file` (served as `name`) is shown by.
  const std::string& shown(const std::string& file, const std::string& name) const {
    return names_as_given_ ? file : name;
  }
  /// Writes what changed to the index and commits; false when it could not (then the library
  /// searches an in-memory index of its own, and the log says why). `retain`: also removes
  /// every file not served.
  bool update_index(const std::set<std::string>& removed, bool retain);
  /// reload() of a following store.
  bool follow_index();
  /// Builds the library over the entries and swaps it in; false when it could not be built.
  bool swap_in(const std::set<std::string>& changed, bool indexed);
  std::vector<std::string> roots_;
  WalkOptions walk_;
  std::filesystem::path base_;
  std::vector<std::pair<std::string, std::string>> root_names_; ///< root + '/', its name + '/'
  std::optional<Tokenizer> tokenizer_;
  std::function<void(std::string)> log_;
  std::function<void(const LoadProgress&)> progress_; // the first load's only
  mutable std::mutex mutex_;
  mutable std::mutex reading_; ///< a reload's workers: the index's reads and the log, one at a time
  std::map<std::string, Entry> entries_; // by served name
  std::set<std::string> reported_;       // skipped entries already logged
  std::shared_ptr<const Library> library_;
  std::shared_ptr<const Library> empty_; ///< what snapshot() gives while the first load runs
  std::atomic<bool> loading_{false};
  mutable std::condition_variable loaded_;
  std::atomic<size_t> files_read_{0}, files_found_{0}, files_indexed_{0}, files_to_index_{0};
  std::vector<SwapListener> listeners_;
  std::optional<CorpusIndex> index_;
  std::optional<IndexedSources> sources_; ///< index_'s bytes, for documents parsed on first use
  bool following_ = false;
  bool names_as_given_ = false;
  bool targets_exact_ = false; ///< the last walk met no link and the roots are apart
  ReloadStats stats_;
};

/// Change notifications (`notifications/resources/updated`, `…/list_changed`): the channels
/// that carry them to clients, what each subscribed to, and what a swap changed for each.
/// Thread-safe; `send` functions are called under its lock and must not call back into it.
class Notifier {
public:
  using Send = std::function<void(const std::string& message)>;
  explicit Notifier(ServeLimits limits) : limits_(limits) {}
  /// A channel to one client: a stdio connection or a legacy HTTP session after `initialize`,
  /// or a 2026-07-28 `subscriptions/listen` stream. `subscription_id` is that request's id as
  /// JSON (its notifications carry it) or empty; `list_changed` whether it hears list changes.
  uint64_t open(Caller caller, Send send, bool list_changed, std::string subscription_id = {});
  void close(uint64_t channel);
  /// Adds `uri` to what the channel hears about; false when it has its maximum already.
  bool subscribe(uint64_t channel, const std::string& uri);
  void unsubscribe(uint64_t channel, const std::string& uri);
  /// Sends each channel what the swap changed for its caller: `updated` for a subscribed
  /// resource whose text as that caller reads it changed, `list_changed` when the resources
  /// it may list changed. A resource the caller could read neither before nor after is never
  /// named (so subscribing to guessed URIs reveals nothing).
  void changed(const Library& before, const Library& after, const std::set<std::string>& docs);
  static constexpr size_t max_subscriptions = 1024; ///< per channel

private:
  struct Channel {
    Caller caller;
    Send send;
    bool list_changed = false;
    std::string subscription_id;
    std::set<std::string> uris;
  };
  ServeLimits limits_;
  std::mutex mutex_;
  uint64_t next_ = 1;
  std::map<uint64_t, Channel> channels_;
};

/// What a transport knows about the peer of one message.
struct Session {
  Caller caller;                ///< bound by the transport (--role, bearer token)
  std::string protocol_version; ///< negotiated by `initialize`; empty before it
  uint64_t channel = 0;         ///< its Notifier channel once it has one (legacy subscriptions)
};

struct DispatchReply {
  std::string body;         ///< one JSON object, or empty (notifications get no reply)
  int http_status = 200;    ///< what Streamable HTTP answers (modern errors use 4xx)
  bool initialized = false; ///< the message was a successful `initialize`
  /// A `subscriptions/listen` the transport now holds open: the request's id as JSON, the
  /// `notifications/subscriptions/acknowledged` message to send first, and what was granted.
  struct Listen {
    std::string id;
    std::string acknowledged;
    bool list_changed = false;
    std::vector<std::string> uris;
  };
  std::optional<Listen> listen;
  std::string cancelled; ///< `notifications/cancelled`: the cancelled request's id as JSON
};

/// The headers a modern Streamable HTTP request must repeat from its body (null: absent).
struct HttpHeaders {
  const std::string* protocol_version = nullptr; ///< MCP-Protocol-Version
  const std::string* method = nullptr;           ///< Mcp-Method
  const std::string* name = nullptr;             ///< Mcp-Name
};

/// What a transport gives one request beyond its message: where its `notifications/progress`
/// go (sent only when the request asked, with `_meta.progressToken`) and a flag that cancels
/// it (`notifications/cancelled`, or an HTTP stream the client closed).
struct CallControl {
  std::function<void(const std::string& notification)> send; ///< null: progress is not sent
  /// Whether the request with this id (as JSON) was cancelled; null: never.
  std::function<bool(const std::string& id)> cancelled;
};

class Dispatcher {
public:
  /// Subscribes its Notifier to the store's swaps.
  Dispatcher(std::shared_ptr<DocumentStore> store, ServeLimits limits);
  /// Handles one message. `session` is updated by `initialize`. Over HTTP, `http` holds the
  /// request's headers (checked against a modern request's body); nullptr elsewhere. Never
  /// throws: every problem becomes a JSON-RPC error.
  /// `control`: progress and cancellation for this request (nullptr: neither). A request
  /// cancelled while it runs gets no reply (empty body), as MCP asks.
  DispatchReply handle(std::string_view message, Session& session,
                       const HttpHeaders* http = nullptr,
                       const CallControl* control = nullptr) const;
  const ServeLimits& limits() const { return limits_; }
  Notifier& notifier() const { return *notifier_; }
  /// The final response of a `subscriptions/listen` whose stream ends (id as JSON).
  static std::string listen_closed(const std::string& id);

private:
  std::shared_ptr<DocumentStore> store_;
  ServeLimits limits_;
  std::shared_ptr<Notifier> notifier_;
};

/// Serves newline-delimited JSON-RPC on `in` / `out` until end of input (or SIGTERM).
void serve_stdio(const Dispatcher& dispatcher, const Caller& caller, std::FILE* in, std::FILE* out);

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8765;
  /// sha256(token) hex -> role ("" = every node). Empty: no authentication (loopback only).
  std::vector<std::pair<std::string, std::string>> tokens;
  std::vector<std::string> allowed_origins; ///< besides http(s)://localhost and 127.0.0.1
  /// Rejected requests (401, 403, 413) with the peer and the reason; null: not logged.
  std::function<void(std::string)> log;
};

/// Reads `{"tokens": [{"sha256": "<hex>", "role": "operator"}, …]}`.
Result<std::vector<std::pair<std::string, std::string>>> read_token_file(const std::string& path);
/// sha256 as lowercase hex (what a token file stores).
std::string sha256_hex(std::string_view text);

/// Watches the store's roots with inotify and reloads changed files until `stop` is set.
void watch_documents(const std::shared_ptr<DocumentStore>& store, const std::atomic<bool>& stop,
                     const std::function<void(std::string)>& log);

/// Streamable HTTP on /mcp until stop_http() (or SIGTERM in og serve). Blocks.
Status serve_http(const Dispatcher& dispatcher, const HttpOptions& options,
                  std::function<void(int port)> on_listening);
void stop_http();

} // namespace og
