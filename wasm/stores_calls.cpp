// Key-value and object-store calls for JavaScript: arguments checked and
// handed to the engine (engine_kv.cpp, engine_obj.cpp have the rules).
#include "boundary.hpp"
#include "connection.hpp"

namespace nats::wasm {

double Connection::kv_write(double context, const std::string &bucket, const std::string &key,
                            int op, double expected, std::size_t payload_len, double now) {
  return guarded(
      [&] {
        auto ctx = to_count(context, "context");
        if (!ctx) return -static_cast<double>(code(ctx.error()));
        if (op < 0 || op > static_cast<int>(js::kv::Operation::purge)) {
          return -static_cast<double>(code({Errc::invalid_argument, "unknown KV operation"}));
        }
        std::optional<std::uint64_t> rev;
        if (expected >= 0) {
          auto e = to_count(expected, "revision");
          if (!e) return -static_cast<double>(code(e.error()));
          rev = *e;
        }
        auto r = engine_.kv_write(*ctx, bucket, key, std::string_view(stage_.data(), payload_len),
                                  static_cast<js::kv::Operation>(op), rev, to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::kv_watch(double context, const std::string &bucket, const std::string &keys,
                            int include, bool headers_only, int ignore, double resume, double now) {
  return guarded(
      [&] {
        auto ctx = to_count(context, "context");
        auto from = to_count(resume, "resumeFromRevision");
        if (!ctx) return -static_cast<double>(code(ctx.error()));
        if (!from) return -static_cast<double>(code(from.error()));
        if (include < 0 || include > static_cast<int>(js::kv::WatchInclude::updates_only)) {
          return -static_cast<double>(code({Errc::invalid_argument, "unknown watch include"}));
        }
        if (ignore < 0 || ignore > static_cast<int>(js::kv::Ignore::deletes_and_purges)) {
          return -static_cast<double>(code({Errc::invalid_argument, "unknown watch ignore"}));
        }
        auto r = engine_.kv_watch(*ctx, bucket, keys, static_cast<js::kv::WatchInclude>(include),
                                  headers_only, static_cast<js::kv::Ignore>(ignore), *from,
                                  to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::obj_put_chunk(double context, const std::string &bucket, const std::string &nuid,
                                 std::size_t payload_len, double now) {
  return guarded(
      [&] {
        auto ctx = to_count(context, "context");
        if (!ctx) return -static_cast<double>(code(ctx.error()));
        auto r = engine_.obj_put_chunk(*ctx, bucket, nuid,
                                       std::string_view(stage_.data(), payload_len), to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::obj_read(double context, const std::string &bucket, const std::string &nuid,
                            int include, double now) {
  return guarded(
      [&] {
        auto ctx = to_count(context, "context");
        if (!ctx) return -static_cast<double>(code(ctx.error()));
        if (include < 0 || include > static_cast<int>(js::obj::Include::history)) {
          return -static_cast<double>(code({Errc::invalid_argument, "unknown include"}));
        }
        auto r = engine_.obj_read(*ctx, bucket, nuid, static_cast<js::obj::Include>(include),
                                  to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

}  // namespace nats::wasm
