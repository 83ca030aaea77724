// JetStream API calls that read stored messages: an offset resolved to a
// start (probing the partitions' streams), a message by sequence or subject
// through MSG.GET, and direct gets (the headers carry the metadata). The
// requests are made in api_call.cpp; these fold the replies.
#include <nlohmann/json.hpp>

#include "../json_parse.hpp"
#include "api_call_state.hpp"
#include "nats/base64.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/offset.hpp"

namespace nats::detail {

using namespace api_call;

Error JsApiCall::State::begin_resolve() {
  auto stream = name_arg(args, "stream", "stream", true);
  if (!stream) return stream.error();
  auto parsed = js::offset_from_json(dump(args["offset"]));
  if (!parsed) return parsed.error();
  start_offset = *parsed;
  if (auto f = args.find("filter"); f != args.end() && f->is_string()) {
    start_filter = f->get<std::string>();
  } else if (auto cfg = args.find("config"); cfg != args.end() && cfg->is_object()) {
    start_filter = cfg->value("filter_subject", std::string());
  }
  // The stream's state first (a missing stream fails here, typed).
  resolve = Resolve::stream_info;
  subject = api("STREAM.INFO." + *stream);
  body.clear();
  return {};
}

// Counts matching messages from a sequence on: an ephemeral consumer there
// (its num_pending), deleted right after.
bool JsApiCall::State::probe_next(const std::string &stream) {
  auto probe = search->next_probe();
  if (!probe) {
    const js::DeliverStart start = search->result();
    deliver = nats::detail::parse_json(js::deliver_start_json(start));
    return false;
  }
  json cfg = {{"deliver_policy", "by_start_sequence"},
              {"opt_start_seq", *probe},
              {"ack_policy", "none"},
              {"mem_storage", true},
              {"num_replicas", 1},
              {"inactive_threshold", 10'000'000'000ULL}};
  if (!start_filter.empty()) cfg["filter_subject"] = start_filter;
  resolve = Resolve::probe;
  subject = api("CONSUMER.CREATE." + stream);
  body = dump(json{{"stream_name", stream}, {"config", cfg}});
  return true;
}

bool JsApiCall::State::on_resolve(const json &reply, std::string_view payload) {
  const std::string stream = args.value("stream", std::string());
  if (resolve == Resolve::probe_delete) {
    // Whatever the delete said, the search goes on.
    if (probe_next(stream)) return false;
  } else {
    if (auto e = js::api_error_of(payload)) return finish(std::move(*e));
    if (resolve == Resolve::stream_info) {
      const json st = reply.value("state", json::object());
      const auto first = st.value("first_seq", std::uint64_t{0});
      const auto last = st.value("last_seq", std::uint64_t{0});
      const auto msgs = st.value("messages", std::uint64_t{0});
      const bool dense = last == 0 || (last >= first && last - first + 1 == msgs);
      if (start_offset.kind != js::Offset::Kind::from_end || (start_filter.empty() && dense)) {
        deliver = nats::detail::parse_json(
            js::deliver_start_json(js::deliver_start(start_offset, first, last)));
      } else {
        search.emplace(start_offset.value, first, last);
        if (probe_next(stream)) return false;
      }
    } else {  // a probe was created: count, then delete it
      search->on_count(reply.value("num_pending", std::uint64_t{0}));
      resolve = Resolve::probe_delete;
      subject = api("CONSUMER.DELETE." + stream + "." + reply.value("name", std::string()));
      body.clear();
      return false;
    }
  }
  resolve = Resolve::done;
  if (op == ApiOp::offset_start) {
    result = dump(deliver);
    return true;
  }
  if (Error e = prepare()) return finish(std::move(e));
  return false;
}

bool JsApiCall::State::decode_msg_get(json &reply, const std::string &stream) {
  auto &m = reply["message"];
  if (!m.is_object()) return finish({Errc::protocol_error, "message missing in the reply"});
  stored = true;
  stored_msg.subject = m.value("subject", std::string());
  stored_msg.seq = m.value("seq", std::uint64_t{0});
  stored_msg.time = m.value("time", std::string());
  for (auto [field, out] : {std::pair{"hdrs", &stored_msg.headers}, {"data", &stored_msg.data}}) {
    if (!m.contains(field) || !m[field].is_string()) continue;  // omitted when empty
    auto decoded = base64_decode(m[field].get<std::string>());
    if (!decoded) return finish({Errc::protocol_error, std::string("bad base64 in ") + field});
    *out = std::move(*decoded);
  }
  stored_msg.stream = stream;
  return true;
}

bool JsApiCall::State::on_direct(std::string_view headers, std::string_view payload) {
  auto h = Headers::parse(headers);
  if (!h) return finish(h.error());
  if (h->status == 404) {
    Error e{Errc::js_api_error, "no message found"};
    e.status = 404;
    e.err_code = 10037;  // as STREAM.MSG.GET says it, so hosts see one error either way
    return finish(std::move(e));
  }
  if (h->status >= 300) {
    Error e{Errc::js_status_error, h->description.empty() ? "direct get failed" : h->description};
    e.status = h->status;
    return finish(std::move(e));
  }
  stored = true;
  stored_msg.subject.assign(h->get("Nats-Subject"));
  stored_msg.stream.assign(h->get("Nats-Stream"));
  stored_msg.time.assign(h->get("Nats-Time-Stamp"));
  std::string_view seq = h->get("Nats-Sequence");
  for (char c : seq) {
    if (c < '0' || c > '9') return finish({Errc::protocol_error, "bad Nats-Sequence header"});
    stored_msg.seq = stored_msg.seq * 10 + static_cast<std::uint64_t>(c - '0');
  }
  stored_msg.headers.assign(headers);
  stored_msg.data.assign(payload);
  return true;
}

}  // namespace nats::detail
