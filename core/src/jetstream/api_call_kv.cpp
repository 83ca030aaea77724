// Key-value calls: create and inspect buckets, read an entry (latest or at
// a revision, by direct get when the bucket allows it), and create a key
// only if it has no value — also over a deleted or purged one, by writing
// after its tombstone, as nats.js and nats.py do.
#include "../json_parse.hpp"
#include "api_call_state.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats::detail {
namespace {

using namespace api_call;
namespace kv = js::kv;

// kv_create's steps.
constexpr int kCreate = 0;    // the write that expects no value
constexpr int kReadLast = 1;  // it failed: is the last entry a tombstone?
constexpr int kOverTomb = 2;  // the write after the tombstone

Error key_not_found(const std::string &key) {
  Error e{Errc::key_not_found, "key '" + key + "' not found"};
  e.status = 404;
  return e;
}

Error bucket_not_found(const std::string &bucket) {
  Error e{Errc::bucket_not_found, "bucket '" + bucket + "' not found"};
  e.status = 404;
  e.err_code = 10059;
  return e;
}

}  // namespace

Error JsApiCall::State::prepare_kv() {
  if (op == ApiOp::kv_bucket_create) {
    auto cfg = args.find("config");
    if (cfg == args.end() || !cfg->is_object()) return bad("a bucket config is required");
    kv::BucketConfig c;
    c.bucket = cfg->value("bucket", std::string());
    c.description = cfg->value("description", std::string());
    c.history = cfg->value("history", std::int64_t{1});
    c.ttl = std::chrono::milliseconds(cfg->value("ttl", std::int64_t{0}));
    c.max_value_size = cfg->value("max_value_size", std::int64_t{-1});
    c.max_bytes = cfg->value("max_bytes", std::int64_t{-1});
    c.storage = cfg->value("storage", std::string("file"));
    c.replicas = cfg->value("replicas", std::int64_t{1});
    c.allow_direct = cfg->value("allow_direct", true);
    if (auto m = cfg->find("mirror"); m != cfg->end() && !m->is_null()) {
      // nats.js: {name, domain?, external?}; the name with or without KV_.
      if (m->is_string()) {
        c.mirror = m->get<std::string>();
      } else if (m->is_object()) {
        c.mirror = m->value("name", std::string());
        if (m->contains("external") || !m->value("domain", std::string()).empty()) {
          return bad("mirrors of buckets in other domains are not supported");
        }
      }
      if (auto b = kv::bucket_of_stream(c.mirror); !b.empty()) c.mirror = b;
      if (c.mirror.empty()) return bad("mirror needs the name of the bucket to mirror");
    }
    // Settings this client cannot honour are errors, never silently dropped.
    for (const char *unsupported : {"sources", "compression", "metadata", "markerTTL"}) {
      auto it = cfg->find(unsupported);
      if (it != cfg->end() && !it->is_null() && *it != false && *it != "none" && *it != "") {
        return bad(std::string(unsupported) + " is not supported for buckets here");
      }
    }
    for (auto [key, out] :
         {std::pair{"placement", &c.placement_json}, std::pair{"republish", &c.republish_json}}) {
      auto it = cfg->find(key);
      if (it != cfg->end() && !it->is_null()) *out = it->dump();
    }
    auto stream = kv::stream_config_json(c);
    if (!stream) return stream.error();
    subject = api("STREAM.CREATE." + kv::stream_name(c.bucket));
    body = *stream;
    return {};
  }
  const std::string bucket = args.value("bucket", std::string());
  if (Error e = kv::validate_bucket(bucket)) return e;
  const std::string stream = kv::stream_name(bucket);
  if (op == ApiOp::kv_bucket_info || op == ApiOp::kv_bucket_delete) {
    subject = api((op == ApiOp::kv_bucket_info ? "STREAM.INFO." : "STREAM.DELETE.") + stream);
    body.clear();
    return {};
  }
  const std::string key = args.value("key", std::string());
  if (Error e = kv::validate_key(key)) return e;
  // A mirror's keys are its source's; writes to it are refused.
  const std::string keys_of = kv_source.empty() ? bucket : kv_source;
  if (op == ApiOp::kv_create && !kv_source.empty()) {
    return {Errc::illegal_state,
            "bucket '" + bucket + "' mirrors '" + kv_source + "': write to '" + kv_source + "'"};
  }
  const bool direct = args.value("direct", false);
  const bool read = op == ApiOp::kv_get || kv_phase == kReadLast;
  if (read) {
    req_headers.clear();
    auto revision = args.find("revision");
    const bool at = op == ApiOp::kv_get && revision != args.end() && revision->is_number_unsigned();
    if (direct && !at) {
      // The subject form: no body.
      subject = api("DIRECT.GET." + stream + "." + kv::key_subject(keys_of, key));
      body.clear();
    } else {
      json b =
          at ? json{{"seq", *revision}} : json{{"last_by_subj", kv::key_subject(keys_of, key)}};
      subject = api((direct ? "DIRECT.GET." : "STREAM.MSG.GET.") + stream);
      body = dump(b);
    }
    return {};
  }
  // kv_create: a publish to the key expecting no value (or the tombstone's revision).
  subject = kv::key_subject(bucket, key);
  body = kv_value;
  const std::uint64_t expected = kv_phase == kOverTomb ? stored_msg.seq : 0;
  req_headers = kv::write_headers(kv::Operation::put, expected).encode();
  return {};
}

// nats-server 2.9 drops a direct get to a stream that is gone or no longer
// allows direct gets: no reply at all. So a direct read that times out reads
// the stream's config once and decides from it (TOOLCHAIN.md).
bool JsApiCall::State::kv_on_timeout() {
  if (kv_checking || !args.value("direct", false)) return false;
  kv_checking = true;
  subject = api("STREAM.INFO." + kv::stream_name(args.value("bucket", std::string())));
  body.clear();
  req_headers.clear();
  return true;
}

bool JsApiCall::State::kv_on_check(std::string_view reply, const std::string &bucket) {
  kv_checking = false;
  if (auto e = js::api_error_of(reply)) {
    return finish(e->err_code == 10059 ? bucket_not_found(bucket) : std::move(*e));
  }
  json r = nats::detail::parse_json(reply);
  if (r.is_discarded() || !r.is_object()) {
    return finish({Errc::protocol_error, "JetStream API reply is not a JSON object"});
  }
  const json cfg = r.value("config", json::object());
  if (cfg.is_object() && cfg.value("allow_direct", false)) {
    // Direct gets are allowed: the read was lost or slow, not refused.
    return finish({Errc::timeout, "JetStream API request timed out"});
  }
  args["direct"] = false;  // read through the API from now on
  if (Error e = prepare_kv()) return finish(std::move(e));
  return false;
}

bool JsApiCall::State::kv_read(std::string_view headers, std::string_view reply,
                               const std::string &bucket, const std::string &key) {
  if (kv_checking) return kv_on_check(reply, bucket);
  const bool direct = args.value("direct", false);
  bool done;
  if (direct) {
    done = on_direct(headers, reply);
  } else {
    json r = nats::detail::parse_json(reply);
    if (r.is_discarded() || !r.is_object()) {
      return finish({Errc::protocol_error, "JetStream API reply is not a JSON object"});
    }
    if (auto e = js::api_error_of(reply)) {
      done = finish(std::move(*e));
    } else {
      done = decode_msg_get(r, kv::stream_name(bucket));
    }
  }
  if (!done) return false;
  if (error) {
    // 10059: no bucket at all (the bucket was deleted under an open handle).
    // Otherwise 404 / 10037: nothing stored for the key (or at that revision).
    if (error.err_code == 10059) {
      error = bucket_not_found(bucket);
    } else if (error.status == 404 || error.err_code == 10037) {
      error = key_not_found(key);
    }
    return true;
  }
  // At a revision, the message there may be another key's.
  if (stored_msg.subject != kv::key_subject(kv_source.empty() ? bucket : kv_source, key)) {
    stored = false;
    return finish(key_not_found(key));
  }
  auto kind = kv::operation_of(stored_msg.headers);
  stored_msg.operation = static_cast<std::uint8_t>(kind.value_or(kv::Operation::put));
  stored_msg.stream = kv::stream_name(bucket);
  return true;
}

bool JsApiCall::State::on_kv(std::string_view headers, std::string_view reply) {
  const std::string bucket = args.value("bucket", std::string());
  const std::string key = args.value("key", std::string());
  if (op == ApiOp::kv_get) return kv_read(headers, reply, bucket, key);
  if (op == ApiOp::kv_bucket_create || op == ApiOp::kv_bucket_info ||
      op == ApiOp::kv_bucket_delete) {
    json r = nats::detail::parse_json(reply);
    if (r.is_discarded() || !r.is_object()) {
      return finish({Errc::protocol_error, "JetStream API reply is not a JSON object"});
    }
    if (auto e = js::api_error_of(reply)) {
      if (e->err_code == 10059) return finish(bucket_not_found(bucket));
      return finish(std::move(*e));
    }
    // A bucket keeps each key's history: a stream that keeps none (or all,
    // -1) under the bucket's name is not one (nats.py's BadBucketError).
    if (op == ApiOp::kv_bucket_info &&
        r.value("config", json::object()).value("max_msgs_per_subject", std::int64_t{0}) < 1) {
      return finish(
          {Errc::bad_bucket, "stream '" + kv::stream_name(bucket) + "' is not a key-value bucket"});
    }
    result.assign(reply);
    return true;
  }
  // kv_create
  if (kv_phase == kReadLast) {
    Error first = kv_first_error;
    if (!kv_read(headers, reply, bucket, key)) return false;
    const bool tombstone = !error && stored_msg.operation != 0;
    if (!tombstone) {
      // A value is there (or the read failed): the create's own error stands.
      stored = false;
      return finish(std::move(first));
    }
    stored = false;
    kv_phase = kOverTomb;
    if (Error e = prepare()) return finish(std::move(e));
    return false;
  }
  // A PubAck (or its error) for the write.
  json r = nats::detail::parse_json(reply);
  if (auto e = js::api_error_of(reply)) {
    if (kv_phase == kCreate && kv::is_wrong_last_sequence(e->err_code)) {
      kv_first_error = std::move(*e);
      kv_phase = kReadLast;
      if (Error pe = prepare()) return finish(std::move(pe));
      return false;
    }
    return finish(std::move(*e));
  }
  if (r.is_discarded() || !r.is_object() || !r.contains("seq")) {
    if (!headers.empty()) {
      auto h = Headers::parse(headers);
      if (h && h->status == 503) {
        Error e{Errc::no_stream_response, "no stream for bucket '" + bucket + "'"};
        e.status = 503;
        return finish(std::move(e));
      }
    }
    return finish({Errc::js_bad_reply, "not a PubAck"});
  }
  result.assign(reply);
  return true;
}

}  // namespace nats::detail
