// The remote tier a build cache owns (vitte/cache/remote.hpp): fetches with
// verification, the circuit breaker, and the upload queue and its thread.
// Included by impl/cache.hpp after the manifest helpers.
#ifndef VITTE_CACHE_IMPL_REMOTE_TIER_HPP
#define VITTE_CACHE_IMPL_REMOTE_TIER_HPP

#include <vitte/cache/impl/remote.hpp>

namespace vitte::cache::detail {

// A manifest's candidates whose result keys are what their dependency sets
// make them (a server cannot point a set at another result).
VITTE_DECL bool consistent(const fingerprint& mkey, const candidate& c);

// `theirs` then `ours` (newest last), each result once, at most `max` kept.
VITTE_DECL buffer<candidate> merge_candidates(buffer<candidate> theirs, buffer<candidate> ours, std::size_t max);

template <class P>
class remote_tier {
 public:
  using deadline = sys::basic_deadline<P>;

  static result<std::unique_ptr<remote_tier>> create(remote_options o, log::basic_logger<P>* log,
                                                     std::size_t max_candidates) {
    auto reader = make_backend<P>(o);
    if (!reader) return reader.error();
    auto writer = make_backend<P>(o);
    if (!writer) return writer.error();
    std::unique_ptr<remote_tier> t(new remote_tier());
    t->shown_ = http::url::parse(o.url)->to_text();
    t->options_ = std::move(o);
    t->log_ = log;
    t->max_candidates_ = max_candidates;
    t->reader_ = std::move(*reader);
    t->writer_ = std::move(*writer);
    if (!t->options_.read_only) {
      remote_tier* self = t.get();
      auto th = sys::basic_thread<P>::spawn([self] { self->run(); });
      if (!th) return th.error();
      t->thread_ = std::move(*th);
    }
    return t;
  }

  ~remote_tier() {
    (void)flush(deadline::after(options_.timeout * 2));
    {
      std::lock_guard<sys::basic_mutex<P>> hold(m_);
      stop_ = true;
      stats_.dropped += queue_.size();
      queue_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable()) (void)thread_.join();
  }

  const remote_options& options() const noexcept { return options_; }

  // The blob of `kind` ("manifest" or "result") stored under `key`, checked
  // against its digest and its seal; false when absent, unusable or the
  // server is not answering (the reason logged).
  bool fetch(text_view kind, const fingerprint& key, const char (&magic)[8], buffer<std::byte>& out) {
    if (!available()) return false;
    const deadline d = deadline::after(options_.timeout);
    buffer<std::byte> entry;
    auto got = reader_->get("ac", key.hex(), entry, d);
    if (!got) return trip(got.error(), *reader_);
    if (!*got) return false;
    auto ref = decode_action_result(entry.span());
    text expected("vitte/");
    expected.append(kind.data(), kind.size());
    if (!ref || ref->path != expected || ref->size > (std::uint64_t{1} << 32))
      return reject("an action-cache entry that does not decode", key);
    got = reader_->get("cas", ref->hash, out, d);
    if (!got) return trip(got.error(), *reader_);
    if (!*got) return false;
    if (hex_of(crypto::sha256::hash(out.data(), out.size())) != ref->hash || out.size() != ref->size)
      return reject("a blob whose bytes do not match its SHA-256", key);
    if (unseal(out.span(), magic).empty()) return reject("a blob whose seal is broken", key);
    return true;
  }

  // Queues an upload (nothing when read-only, dropped when the queue is full).
  void upload(text_view kind, const fingerprint& key, buffer<std::byte> bytes) {
    if (options_.read_only) return;
    {
      std::lock_guard<sys::basic_mutex<P>> hold(m_);
      if (queue_.size() >= options_.max_pending) {
        ++stats_.dropped;
        return;
      }
      queue_.push_back(job{text(kind), key, std::move(bytes)});
    }
    cv_.notify_one();
  }

  // Waits until every queued upload is done or `d`.
  bool flush(deadline d) {
    std::unique_lock<sys::basic_mutex<P>> hold(m_);
    while (!queue_.empty() || busy_) {
      if (!cv_.wait_until(hold, d)) return queue_.empty() && !busy_;
    }
    return true;
  }

  void count_lookup(bool hit) {
    std::lock_guard<sys::basic_mutex<P>> hold(m_);
    ++(hit ? stats_.hits : stats_.misses);
  }
  remote_stats stats() {
    std::lock_guard<sys::basic_mutex<P>> hold(m_);
    return stats_;
  }

 private:
  struct job {
    text kind;
    fingerprint key;
    buffer<std::byte> bytes;
  };

  remote_tier() = default;

  bool available() {
    if (P::clock_now_ns(sys::clock_id::monotonic) >= down_until_.load(vitte::detail::acquire)) return true;
    std::lock_guard<sys::basic_mutex<P>> hold(m_);
    ++stats_.skipped;
    return false;
  }

  bool trip(const error& e, const remote_backend<P>& b) {
    const std::int64_t now = P::clock_now_ns(sys::clock_id::monotonic);
    down_until_.store(now + std::chrono::duration_cast<std::chrono::nanoseconds>(options_.retry_after).count(),
                      vitte::detail::release);
    {
      std::lock_guard<sys::basic_mutex<P>> hold(m_);
      ++stats_.failures;
    }
    if (log_ != nullptr)
      log_->warn("remote cache unavailable: working locally",
                 {{"url", text_view(shown_)},
                  {"reason", b.failure().empty() ? text_view(e.message().view()) : b.failure()},
                  {"retry_after_s", static_cast<std::int64_t>(options_.retry_after.count())}});
    return false;
  }

  bool reject(text_view what, const fingerprint& key) {
    {
      std::lock_guard<sys::basic_mutex<P>> hold(m_);
      ++stats_.rejected;
    }
    if (log_ != nullptr)
      log_->warn("remote cache sent an unusable entry: ignored",
                 {{"url", text_view(shown_)}, {"problem", what}, {"key", text_view(key.hex())}});
    return false;
  }

  void run() {
    for (;;) {
      job j;
      {
        std::unique_lock<sys::basic_mutex<P>> hold(m_);
        while (queue_.empty() && !stop_) cv_.wait(hold);
        if (stop_) return;
        j = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
      send(j);
      {
        std::lock_guard<sys::basic_mutex<P>> hold(m_);
        busy_ = false;
      }
      cv_.notify_all();
    }
  }

  void send(job& j) {
    if (!available()) {
      std::lock_guard<sys::basic_mutex<P>> hold(m_);
      ++stats_.dropped;
      return;
    }
    const deadline d = deadline::after(options_.timeout);
    bool blob_known = false;
    if (j.kind == "manifest") merge_with_server(j, d);
    const auto digest = crypto::sha256::hash(j.bytes.data(), j.bytes.size());
    const text hex = hex_of(digest);
    if (j.bytes.size() > 64 * 1024) {  // a large result: the server may hold it already
      auto has = writer_->contains("cas", hex, d);
      if (!has) {
        (void)trip(has.error(), *writer_);
        std::lock_guard<sys::basic_mutex<P>> hold(m_);
        ++stats_.dropped;
        return;
      }
      blob_known = *has;
    }
    text path("vitte/");
    path.append(j.kind.data(), j.kind.size());
    const buffer<std::byte> entry = encode_action_result(path, hex, j.bytes.size());
    if (auto ok = writer_->put_pair(hex, j.bytes.span(), blob_known, j.key.hex(), entry.span(), d); !ok) {
      (void)trip(ok.error(), *writer_);
      std::lock_guard<sys::basic_mutex<P>> hold(m_);
      ++stats_.dropped;
      return;
    }
    std::lock_guard<sys::basic_mutex<P>> hold(m_);
    ++stats_.uploads;
  }

  // Adds the candidates the server knows for this manifest (other
  // machines' dependency sets) to ours before replacing it.
  void merge_with_server(job& j, deadline d) {
    buffer<std::byte> entry, theirs_bytes;
    auto got = writer_->get("ac", j.key.hex(), entry, d);
    if (!got || !*got) return;
    auto ref = decode_action_result(entry.span());
    if (!ref) return;
    got = writer_->get("cas", ref->hash, theirs_bytes, d);
    if (!got || !*got) return;
    if (hex_of(crypto::sha256::hash(theirs_bytes.data(), theirs_bytes.size())) != ref->hash) return;
    buffer<candidate> theirs, ours;
    const auto tb = unseal(theirs_bytes.span(), manifest_magic);
    const auto ob = unseal(j.bytes.span(), manifest_magic);
    if (tb.empty() || ob.empty() || !parse_manifest(tb, theirs) || !parse_manifest(ob, ours)) return;
    buffer<candidate> valid;
    for (candidate& c : theirs)
      if (consistent(j.key, c)) valid.push_back(std::move(c));
    j.bytes = write_manifest(merge_candidates(std::move(valid), std::move(ours), max_candidates_));
  }

  remote_options options_;
  text shown_;  // the URL without user information
  log::basic_logger<P>* log_ = nullptr;
  std::size_t max_candidates_ = 16;
  std::unique_ptr<remote_backend<P>> reader_;  // the cache's thread
  std::unique_ptr<remote_backend<P>> writer_;  // the upload thread
  vitte::detail::atomic<std::int64_t> down_until_{0};
  sys::basic_mutex<P> m_;
  sys::basic_condition_variable<P> cv_;
  std::deque<job> queue_;
  bool busy_ = false;
  bool stop_ = false;
  remote_stats stats_;
  sys::basic_thread<P> thread_;
};

}  // namespace vitte::cache::detail

#endif  // VITTE_CACHE_IMPL_REMOTE_TIER_HPP
