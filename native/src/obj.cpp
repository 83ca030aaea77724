// Object store data path: put cuts what a reader yields into chunks,
// hashes them and publishes them through the context's window with a few
// acks outstanding, then writes the info; get reads the chunks of the
// version the info names with an ordered consumer, a few ahead of the
// sink, and checks digest, size and count as they pass. The order of
// engine calls is the one js/src/obj/obj.mjs makes.
#include <algorithm>
#include <cstring>
#include <deque>
#include <istream>

#include "client_impl.hpp"
#include "nats/native/jetstream.hpp"
#include "nats/native/obj.hpp"
#include "obj_json.hpp"
#include "obj_read.hpp"
#include "sha256.hpp"

namespace nats::native {

namespace obj = js::obj;

namespace {

using detail::blocked_on_io_thread;

// Chunk publishes awaiting their acks during a put: bounds a put's memory.
constexpr std::size_t kPutsInFlight = 8;
// Chunks the engine pulls ahead of a get's sink: bounds a get's memory.
constexpr std::uint64_t kReadAhead = 4;

Error mismatch(const ObjectInfo &info, const std::string &digest, std::uint64_t size,
               std::uint64_t chunks) {
  return {Errc::digest_mismatch, "received a corrupt object, digests do not match: expected " +
                                     info.digest + " (" + std::to_string(info.size) + " bytes in " +
                                     std::to_string(info.chunks) + " chunks), computed " + digest +
                                     " (" + std::to_string(size) + " bytes in " +
                                     std::to_string(chunks) + " chunks)"};
}

}  // namespace

// --- put -----------------------------------------------------------------------------------

Result<ObjectInfo> ObjectStore::put(std::string_view name, std::string_view data) {
  ObjectMeta meta;
  meta.name = std::string(name);
  return put(meta, data);
}

Result<ObjectInfo> ObjectStore::put(const ObjectMeta &meta, std::string_view data) {
  std::size_t at = 0;
  return put(meta, [&](std::span<char> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), data.size() - at);
    std::memcpy(buf.data(), data.data() + at, n);
    at += n;
    return n;
  });
}

Result<ObjectInfo> ObjectStore::put(const ObjectMeta &meta, std::istream &in) {
  return put(meta, [&](std::span<char> buf) -> Result<std::size_t> {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    // read() sets failbit with eofbit at the end: only a failure without the end is one.
    if (in.bad() || (in.fail() && !in.eof())) {
      return Error{Errc::invalid_argument, "reading the object's stream failed"};
    }
    return n;
  });
}

Result<ObjectInfo> ObjectStore::put(const ObjectMeta &meta, const ObjectReader &reader) {
  if (!reader) return Error{Errc::invalid_argument, "reader is empty"};
  JetStream &js = *js_;
  const auto &impl = js.impl_;
  if (impl->on_io_thread()) return blocked_on_io_thread();
  // The engine checks the store and the name before any chunk goes out.
  if (auto current = get_info(meta.name, true);
      !current && current.error().code != Errc::object_not_found) {
    return current.error();
  }
  std::string nuid;
  std::size_t chunk = 0;
  {
    std::lock_guard lock(impl->mu);
    nuid = impl->engine.new_nuid();
    chunk = obj::chunk_size(meta.max_chunk_size, impl->engine.max_payload());
  }

  detail::Sha256 sha;
  std::uint64_t size = 0;
  std::uint64_t chunks = 0;
  std::deque<PubAckFuture> in_flight;
  Error failed;
  const auto settle_oldest = [&] {
    auto ack = in_flight.front().get();
    in_flight.pop_front();
    if (!ack && !failed) failed = ack.error();
  };
  try {
    std::string buf(chunk, '\0');  // the one chunk this put holds; the engine copies it out
    for (bool end = false; !end && !failed;) {
      std::size_t fill = 0;
      while (fill < chunk) {
        auto n = reader(std::span<char>(buf.data() + fill, chunk - fill));
        if (!n) {
          failed = n.error();
        } else if (*n > chunk - fill) {
          failed = {Errc::invalid_argument, "the reader returned more than its buffer holds"};
        } else if (*n == 0) {
          end = true;
        }
        if (failed || end) break;
        fill += *n;
      }
      if (failed || fill == 0) break;
      const std::string_view piece(buf.data(), fill);
      sha.update(piece);
      size += fill;
      ++chunks;
      auto ack = js.start_write(
          [&] {
            return impl->engine.obj_put_chunk(js.context_, bucket_, nuid, piece, detail::now_ms());
          },
          js.options_.timeout);
      if (!ack) {
        failed = ack.error();
        break;
      }
      in_flight.push_back(std::move(*ack));
      if (in_flight.size() >= kPutsInFlight) settle_oldest();
    }
  } catch (...) {
    // The reader threw: chunks that landed would be orphans.
    while (!in_flight.empty()) settle_oldest();
    purge_chunks(nuid);
    throw;
  }
  while (!in_flight.empty()) settle_oldest();
  if (failed) {
    purge_chunks(nuid);  // chunks that landed before the failure would be orphans
    return failed;
  }

  ObjectInfo described;  // the meta as a record: its description, headers and metadata
  described.description = meta.description;
  described.headers = meta.headers;
  described.metadata = meta.metadata;
  // A refused write purges its chunks in the engine (api_call_obj.cpp).
  return put_meta(
      "\"name\":" + js::json_quote(meta.name) + ",\"meta\":" + detail::object_info_json(described) +
      ",\"nuid\":" + js::json_quote(nuid) + ",\"size\":" + std::to_string(size) +
      ",\"chunks\":" + std::to_string(chunks) + ",\"max_chunk_size\":" + std::to_string(chunk) +
      ",\"digest\":" + js::json_quote(obj::digest_text(sha.finish())));
}

// --- get -----------------------------------------------------------------------------------

Result<ObjectResult> ObjectStore::get(std::string_view name) {
  ObjectResult out;
  auto info = get(name, [&](std::string_view chunk) { out.data.append(chunk); });
  if (!info) return info.error();
  out.info = std::move(*info);
  return out;
}

Result<ObjectInfo> ObjectStore::get(std::string_view name, const ObjectSink &sink) {
  if (!sink) return Error{Errc::invalid_argument, "sink is empty"};
  JetStream &js = *js_;
  if (js.impl_->on_io_thread()) return blocked_on_io_thread();
  auto raw = js.call_json(js::ApiOp::obj_info, "{\"bucket\":" + js::json_quote(bucket_) +
                                                   ",\"name\":" + js::json_quote(name) +
                                                   ",\"follow\":true}");
  if (!raw) return raw.error();
  auto info = detail::object_info_from_json(*raw);
  if (!info) return info.error();
  if (info->deleted) {
    Error e{Errc::object_not_found, "object '" + std::string(name) + "' was deleted"};
    e.status = 404;
    return e;
  }

  detail::Sha256 sha;
  std::uint64_t size = 0;
  std::uint64_t chunks = 0;
  if (info->chunks > 0) {
    detail::ObjRead::Options o;
    o.bucket = info->bucket.empty() ? bucket_ : info->bucket;  // a link's target store
    o.nuid = info->nuid;
    o.read_ahead = kReadAhead;
    auto read = detail::ObjRead::open(js.impl_, js.context_, std::move(o), js.options_.timeout);
    if (!read) return read.error();
    for (;;) {
      auto m = (*read)->next(js.options_.timeout);
      if (!m) return m.error();
      if (!*m) break;  // caught up: no more chunks
      const JsMsg &c = **m;
      size += c.data.size();
      ++chunks;
      if (size > info->size) return mismatch(*info, "(not computed)", size, chunks);
      sha.update(c.data);
      sink(c.data);
      if (chunks == info->chunks) break;
      if (auto at = c.metadata(); at && at->pending == 0) break;  // the last one there
    }
  }
  const std::string digest = obj::digest_text(sha.finish());
  if (digest != info->digest || size != info->size || chunks != info->chunks) {
    return mismatch(*info, digest, size, chunks);
  }
  return info;
}

}  // namespace nats::native
