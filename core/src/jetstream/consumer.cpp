// Pull consumer rules without state: options, requests, statuses, acks,
// ack-subject metadata, ordered consumer configs.
#include "nats/jetstream/consumer.hpp"

#include <array>

#include <algorithm>
#include <charconv>

#include "nats/jetstream/types.hpp"  // json_quote

namespace nats::js {
namespace {

std::int64_t ns(Millis m) { return static_cast<std::int64_t>(m.count()) * 1000000; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

template <typename T>
bool to_number(std::string_view s, T &out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<PullOptions> normalize_pull_options(PullOptions o) {
  if (o.max_messages != 0 && o.max_bytes != 0) {
    return Error{Errc::invalid_argument, "'max_messages','max_bytes' are mutually exclusive"};
  }
  // A batch is always sent: without one the server ends each request after
  // one message. With max_bytes alone the bytes are the bound.
  if (o.max_messages == 0) o.max_messages = o.max_bytes != 0 ? 1000000 : 100;
  if (o.expires.count() == 0) o.expires = Millis{30000};
  const bool heartbeat_given = o.idle_heartbeat.count() != 0;
  if (o.mode == PullMode::consume && o.expires.count() < 1000) {
    // A continuous pull renews its requests; shorter ones only add traffic.
    return Error{Errc::invalid_argument, "'expires' must be at least 1000ms"};
  }
  if (!heartbeat_given) {
    // nats.js: half the expiry, within 0.5 s .. 30 s; none for a short
    // fetch (nats.py's fetch(timeout=0.1) sends no heartbeat either).
    o.idle_heartbeat = o.expires.count() < 1000
                           ? Millis{0}
                           : std::clamp(o.expires / 2, Millis{500}, Millis{30000});
  }
  // The server rejects a heartbeat over half the expiry (400).
  if (o.idle_heartbeat * 2 > o.expires) {
    return Error{Errc::invalid_argument, "'idle_heartbeat' must be at most half of 'expires'"};
  }
  if (o.mode == PullMode::consume) {
    if (o.threshold_messages == 0) {
      o.threshold_messages = std::max<std::uint64_t>(1, (o.max_messages * 3 + 2) / 4);
    }
    if (o.threshold_bytes == 0)
      o.threshold_bytes = std::max<std::uint64_t>(1, (o.max_bytes * 3 + 2) / 4);
  }
  return o;
}

std::string pull_request_json(std::uint64_t batch, std::uint64_t max_bytes, Millis expires,
                              Millis idle_heartbeat, bool no_wait) {
  std::string out = "{\"batch\":" + std::to_string(batch);
  if (max_bytes > 0) out += ",\"max_bytes\":" + std::to_string(max_bytes);
  if (expires.count() > 0) out += ",\"expires\":" + std::to_string(ns(expires));
  if (idle_heartbeat.count() > 0)
    out += ",\"idle_heartbeat\":" + std::to_string(ns(idle_heartbeat));
  if (no_wait) out += ",\"no_wait\":true";
  return out + "}";
}

PullStatus classify_pull_status(const Headers &h) {
  using K = PullStatus::Kind;
  PullStatus s;
  s.code = h.status;
  s.description = h.description;
  const std::string d = lower(h.description);
  auto num = [&](std::string_view key, std::uint64_t &out) {
    std::string_view v = h.get(key);
    if (!v.empty()) to_number(v, out);
  };
  num("Nats-Pending-Messages", s.pending_messages);
  num("Nats-Pending-Bytes", s.pending_bytes);
  switch (h.status) {
    case 100:
      s.kind = d.find("flowcontrol") != std::string::npos ? K::flow_control : K::heartbeat;
      num("Nats-Last-Consumer", s.last_consumer_seq);
      num("Nats-Last-Stream", s.last_stream_seq);
      s.stalled.assign(h.get("Nats-Consumer-Stalled"));
      break;
    case 404: s.kind = K::no_messages; break;
    case 408:
      s.kind = d.find("requests pending") != std::string::npos   ? K::requests_pending
               : d.find("interest expired") != std::string::npos ? K::interest_expired
                                                                 : K::request_timeout;
      break;
    case 409:
      s.kind = d.find("message size exceeds maxbytes") != std::string::npos ? K::max_bytes
               : d.find("consumer deleted") != std::string::npos            ? K::consumer_deleted
               : d.find("push based") != std::string::npos                  ? K::push_based
               : d.find("leadership change") != std::string::npos           ? K::leadership_change
                                                                            : K::exceeded_limits;
      break;
    case 400: s.kind = K::bad_request; break;
    case 503:
      s.kind = K::no_responders;
      if (s.description.empty()) s.description = "no responders";
      break;
    default: s.kind = K::other; break;
  }
  return s;
}

std::string_view pull_status_name(PullStatus::Kind kind) {
  using K = PullStatus::Kind;
  switch (kind) {
    case K::heartbeat: return "heartbeat";
    case K::flow_control: return "flow_control";
    case K::no_messages: return "no_messages";
    case K::request_timeout: return "request_timeout";
    case K::requests_pending: return "requests_pending";
    case K::interest_expired: return "interest_expired";
    case K::max_bytes: return "max_bytes";
    case K::exceeded_limits: return "exceeded_limits";
    case K::consumer_deleted: return "consumer_deleted";
    case K::push_based: return "push_based";
    case K::leadership_change: return "leadership_change";
    case K::bad_request: return "bad_request";
    case K::no_responders: return "no_responders";
    case K::other: return "debug";
  }
  return "debug";
}

std::optional<DeliveryInfo> parse_ack_reply(std::string_view reply) {
  // Once per delivered message: tokens as views into the subject, no
  // allocation (the 11+-token form may end in a random token).
  std::array<std::string_view, 12> t;
  std::size_t n = 0;
  for (std::size_t a = 0; n < t.size();) {
    const std::size_t b = reply.find('.', a);
    t[n++] = reply.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a);
    if (b == std::string_view::npos) break;
    a = b + 1;
  }
  if (n < 9 || t[0] != "$JS" || t[1] != "ACK") return std::nullopt;
  DeliveryInfo info;
  std::size_t i = 2;
  if (n == 9) {
    // The form before server 2.10: no domain, no account hash.
  } else if (n >= 11) {
    info.domain = t[2] == "_" ? std::string() : std::string(t[2]);
    info.account_hash.assign(t[3]);
    i = 4;
  } else {
    return std::nullopt;
  }
  info.stream.assign(t[i]);
  info.consumer.assign(t[i + 1]);
  if (!to_number(t[i + 2], info.delivered) || !to_number(t[i + 3], info.stream_seq) ||
      !to_number(t[i + 4], info.consumer_seq) || !to_number(t[i + 5], info.timestamp_ns) ||
      !to_number(t[i + 6], info.pending)) {
    return std::nullopt;
  }
  return info;
}

std::string ack_payload(AckKind kind, Millis nak_delay) {
  switch (kind) {
    case AckKind::ack: return "+ACK";
    case AckKind::nak:
      if (nak_delay.count() > 0) return "-NAK {\"delay\":" + std::to_string(ns(nak_delay)) + "}";
      return "-NAK";
    case AckKind::working: return "+WPI";
    case AckKind::term: return "+TERM";
  }
  return "+ACK";
}

std::string ack_next_payload(std::uint64_t batch, Millis expires, bool no_wait) {
  std::string out = "+NXT {\"batch\":" + std::to_string(batch == 0 ? 1 : batch);
  if (expires.count() > 0) out += ",\"expires\":" + std::to_string(ns(expires));
  if (no_wait) out += ",\"no_wait\":true";
  return out + "}";
}

std::string ordered_consumer_config(const OrderedOptions &o, std::string_view name,
                                    std::uint64_t start_seq) {
  std::string out = "{\"name\":" + json_quote(name) +
                    ",\"ack_policy\":\"none\",\"max_deliver\":1,\"mem_storage\":true,"
                    "\"num_replicas\":1,\"inactive_threshold\":" +
                    std::to_string(ns(o.inactive_threshold));
  if (!o.filter_subject.empty()) out += ",\"filter_subject\":" + json_quote(o.filter_subject);
  if (o.headers_only) out += ",\"headers_only\":true";
  if (!o.replay_policy.empty()) out += ",\"replay_policy\":" + json_quote(o.replay_policy);
  if (start_seq > 0) {
    out +=
        ",\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":" + std::to_string(start_seq);
  } else if (!o.opt_start_time.empty() || o.deliver_policy == "by_start_time") {
    out +=
        ",\"deliver_policy\":\"by_start_time\",\"opt_start_time\":" + json_quote(o.opt_start_time);
  } else if (o.deliver_policy == "all" || o.deliver_policy == "last" || o.deliver_policy == "new" ||
             o.deliver_policy == "last_per_subject") {
    out += ",\"deliver_policy\":" + json_quote(o.deliver_policy);
    // 2.9 needs a filter for last-per-subject.
    if (o.deliver_policy == "last_per_subject" && o.filter_subject.empty()) {
      out += ",\"filter_subject\":\">\"";
    }
  } else {
    out += ",\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":" +
           std::to_string(o.opt_start_seq > 0 ? o.opt_start_seq : 1);
  }
  return out + "}";
}

}  // namespace nats::js
