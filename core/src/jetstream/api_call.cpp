// JetStream API calls: arguments checked and turned into requests, replies
// folded into one result. One of the few translation units that see
// nlohmann/json (with json.cpp and jetstream/replies.cpp).
#include <nlohmann/json.hpp>
#include <optional>

#include "../json_parse.hpp"
#include "api_call_state.hpp"
#include "nats/detail/js_api_call.hpp"
#include "nats/jetstream/kv.hpp"
#include "nats/jetstream/obj.hpp"
#include "nats/jetstream/offset.hpp"

namespace nats::detail {
namespace {

using namespace api_call;

// The paged key of a list/names reply.
const char *paged_key(ApiOp op) {
  return op == ApiOp::stream_names || op == ApiOp::stream_list || op == ApiOp::kv_bucket_list ||
                 op == ApiOp::obj_store_list
             ? "streams"
             : "consumers";
}

bool is_paged(ApiOp op) {
  return op == ApiOp::stream_names || op == ApiOp::stream_list || op == ApiOp::consumer_names ||
         op == ApiOp::consumer_list || op == ApiOp::consumer_groups ||
         op == ApiOp::kv_bucket_list || op == ApiOp::obj_store_list;
}

// A stream's durable pull consumers as consumer groups: what each has
// committed (its ack floor) and how far behind it is.
json groups_of(const json &consumers) {
  json out = json::array();
  for (const auto &c : consumers) {
    const json cfg = c.value("config", json::object());
    if (!cfg.contains("durable_name") || cfg.contains("deliver_subject")) continue;
    const auto seq = [&](const char *k) {
      return c.value(k, json::object()).value("stream_seq", std::uint64_t{0});
    };
    const auto pending = c.value("num_pending", std::uint64_t{0});
    const auto ack_pending = c.value("num_ack_pending", std::uint64_t{0});
    json filter = cfg.value("filter_subject", std::string());
    out.push_back({{"name", c.value("name", std::string())},
                   {"filter", filter},
                   {"committed", seq("ack_floor")},
                   {"delivered", seq("delivered")},
                   {"pending", pending},
                   {"ack_pending", ack_pending},
                   {"lag", pending + ack_pending}});
  }
  return out;
}

}  // namespace

void JsApiCall::State::page_request() {
  json b = {{"offset", offset}};
  if (op == ApiOp::stream_names || op == ApiOp::stream_list || op == ApiOp::kv_bucket_list ||
      op == ApiOp::obj_store_list) {
    if (auto it = args.find("subject"); it != args.end() && it->is_string()) b["subject"] = *it;
  }
  body = dump(b);
}

Error JsApiCall::State::prepare() {
  if (js::is_kv_op(op)) return prepare_kv();
  if (js::is_obj_op(op)) return prepare_obj();
  if ((op == ApiOp::offset_start || op == ApiOp::consumer_create) && resolve == Resolve::none &&
      args.contains("offset")) {
    return begin_resolve();
  }
  switch (op) {
    case ApiOp::kv_bucket_create:
    case ApiOp::kv_bucket_info:
    case ApiOp::kv_bucket_delete:
    case ApiOp::kv_get:
    case ApiOp::kv_create: return prepare_kv();  // (is_kv_op above; the switch stays whole)
    case ApiOp::obj_store_create:
    case ApiOp::obj_store_info:
    case ApiOp::obj_store_delete:
    case ApiOp::obj_store_seal:
    case ApiOp::obj_info:
    case ApiOp::obj_put_meta:
    case ApiOp::obj_delete:
    case ApiOp::obj_purge_chunks:
    case ApiOp::obj_update_meta: return prepare_obj();
    case ApiOp::offset_start: return bad("an offset is required");
    case ApiOp::consumer_groups: {
      auto stream = name_arg(args, "stream", "stream", true);
      if (!stream) return stream.error();
      subject = api("CONSUMER.LIST." + *stream);
      page_request();
      return {};
    }
    case ApiOp::account_info: subject = api("INFO"); return {};
    case ApiOp::stream_create:
    case ApiOp::stream_update: {
      auto cfg = args.find("config");
      if (cfg == args.end() || !cfg->is_object()) return bad("a stream config is required");
      auto name = name_arg(*cfg, "name", "stream", true);
      if (!name) return name.error();
      // nats.js: a mirror's or source's `domain` is shorthand for its external API prefix.
      auto fix_source = [](json &src) -> Error {
        auto d = src.find("domain");
        if (d == src.end()) return {};
        if (src.contains("external")) return bad("domain and external are both set");
        if (!d->is_string()) return bad("domain must be a string");
        src["external"] = {{"api", "$JS." + d->get<std::string>() + ".API"}};
        src.erase("domain");
        return {};
      };
      if (auto m = cfg->find("mirror"); m != cfg->end() && m->is_object()) {
        if (Error e = fix_source(*m)) return e;
      }
      if (auto s = cfg->find("sources"); s != cfg->end() && s->is_array()) {
        for (auto &src : *s) {
          if (src.is_object()) {
            if (Error e = fix_source(src)) return e;
          }
        }
      }
      const bool merge = op == ApiOp::stream_update && args.value("merge", false);
      if (merge) {
        subject = api("STREAM.INFO." + *name);
        body.clear();
        return {};
      }
      subject = api((op == ApiOp::stream_create ? "STREAM.CREATE." : "STREAM.UPDATE.") + *name);
      body = dump(*cfg);
      return {};
    }
    case ApiOp::stream_info: {
      auto name = name_arg(args, "name", "stream", true);
      if (!name) return name.error();
      subject = api("STREAM.INFO." + *name);
      json b = json::object();
      for (const char *k : {"subjects_filter", "deleted_details"}) {
        if (auto it = args.find(k); it != args.end() && !it->is_null()) b[k] = *it;
      }
      if (b.contains("subjects_filter")) b["offset"] = offset;
      body = b.empty() ? std::string() : dump(b);
      return {};
    }
    case ApiOp::stream_delete: {
      auto name = name_arg(args, "name", "stream", true);
      if (!name) return name.error();
      subject = api("STREAM.DELETE." + *name);
      return {};
    }
    case ApiOp::stream_purge: {
      auto name = name_arg(args, "name", "stream", true);
      if (!name) return name.error();
      json b = json::object();
      for (const char *k : {"filter", "seq", "keep"}) {
        if (auto it = args.find(k); it != args.end() && !it->is_null()) b[k] = *it;
      }
      if (b.contains("seq") && b.contains("keep")) {
        return bad("'keep','seq' are mutually exclusive");
      }
      subject = api("STREAM.PURGE." + *name);
      body = b.empty() ? std::string() : dump(b);
      return {};
    }
    case ApiOp::stream_names:
      subject = api("STREAM.NAMES");
      page_request();
      return {};
    case ApiOp::stream_list:
      subject = api("STREAM.LIST");
      page_request();
      return {};
    case ApiOp::kv_bucket_list:
      subject = api("STREAM.LIST");
      args["subject"] = js::kv::key_subject("*", ">");  // the buckets' subjects
      page_request();
      return {};
    case ApiOp::obj_store_list:
      subject = api("STREAM.LIST");
      args["subject"] = js::obj::meta_filter("*");  // the stores' subjects
      page_request();
      return {};
    case ApiOp::consumer_names:
    case ApiOp::consumer_list: {
      auto stream = name_arg(args, "stream", "stream", true);
      if (!stream) return stream.error();
      subject = api((op == ApiOp::consumer_names ? "CONSUMER.NAMES." : "CONSUMER.LIST.") + *stream);
      page_request();
      return {};
    }
    case ApiOp::stream_msg_get:
    case ApiOp::direct_get: {
      auto name = name_arg(args, "name", "stream", true);
      if (!name) return name.error();
      json b = json::object();
      for (const char *k : {"seq", "last_by_subj", "next_by_subj"}) {
        if (auto it = args.find(k); it != args.end() && !it->is_null()) b[k] = *it;
      }
      if (b.empty()) return bad("a message query needs seq, last_by_subj or next_by_subj");
      if (op == ApiOp::direct_get && b.size() == 1 && b.contains("last_by_subj") &&
          b["last_by_subj"].is_string()) {
        // The subject form takes no body.
        subject = api("DIRECT.GET." + *name + "." + b["last_by_subj"].get<std::string>());
        body.clear();
        return {};
      }
      subject = api((op == ApiOp::direct_get ? "DIRECT.GET." : "STREAM.MSG.GET.") + *name);
      body = dump(b);
      return {};
    }
    case ApiOp::stream_msg_delete: {
      auto name = name_arg(args, "name", "stream", true);
      if (!name) return name.error();
      auto seq = args.find("seq");
      if (seq == args.end() || !seq->is_number_unsigned())
        return bad("seq must be a sequence >= 1");
      json b = {{"seq", *seq}};
      if (args.value("no_erase", false)) b["no_erase"] = true;
      subject = api("STREAM.MSG.DELETE." + *name);
      body = dump(b);
      return {};
    }
    case ApiOp::consumer_info:
    case ApiOp::consumer_delete: {
      auto stream = name_arg(args, "stream", "stream", true);
      if (!stream) return stream.error();
      auto name = name_arg(args, "name", "consumer", false);
      if (!name) return name.error();
      subject = api((op == ApiOp::consumer_info ? "CONSUMER.INFO." : "CONSUMER.DELETE.") + *stream +
                    "." + *name);
      return {};
    }
    case ApiOp::consumer_create:
    case ApiOp::consumer_update: {
      auto stream = name_arg(args, "stream", "stream", true);
      if (!stream) return stream.error();
      auto cfg = args.find("config");
      if (cfg == args.end() || !cfg->is_object()) return bad("a consumer config is required");
      if (resolve == Resolve::done) {
        // The resolved start replaces whatever deliver policy was there.
        for (const char *k : {"deliver_policy", "opt_start_seq", "opt_start_time"}) cfg->erase(k);
        for (auto &[k, v] : deliver.items()) (*cfg)[k] = v;
      }
      if (op == ApiOp::consumer_update) {
        auto name = name_arg(args, "name", "consumer", false);
        if (!name) return name.error();
        if (!cfg->contains("name") && !cfg->contains("durable_name"))
          (*cfg)["durable_name"] = *name;
        if (args.value("merge", false) && !fetched_current) {
          subject = api("CONSUMER.INFO." + *stream + "." + *name);
          body.clear();
          return {};
        }
      }
      std::string name;
      for (const char *k : {"name", "durable_name"}) {
        auto it = cfg->find(k);
        if (it == cfg->end() || it->is_null()) continue;
        if (!it->is_string()) return bad(std::string(k) + " must be a string");
        if (Error e = js::validate_consumer_name(it->get<std::string>(),
                                                 std::string(k) == "name" ? "name" : "durable")) {
          return e;
        }
        if (name.empty()) name = it->get<std::string>();
      }
      const bool group = cfg->contains("deliver_group") && !(*cfg)["deliver_group"].is_null();
      if (group && cfg->value("flow_control", false)) {
        return bad("jetstream flow control is not supported with queue groups");
      }
      if (group && cfg->contains("idle_heartbeat") && (*cfg)["idle_heartbeat"] != 0) {
        return bad("jetstream idle heartbeat is not supported with queue groups");
      }
      json b = {{"stream_name", *stream}, {"config", *cfg}};
      if (auto a = args.find("action");
          a != args.end() && a->is_string() && !a->get<std::string>().empty()) {
        b["action"] = *a;
      } else if (op == ApiOp::consumer_update) {
        b["action"] = "update";
      }
      const bool multi_filter = cfg->contains("filter_subjects");
      std::string filter = cfg->value("filter_subject", std::string());
      if (name.empty() || multi_filter) {
        // Ephemeral, or several filters: the subjects before 2.9's named form.
        std::string durable = cfg->value("durable_name", std::string());
        subject = durable.empty() ? api("CONSUMER.CREATE." + *stream)
                                  : api("CONSUMER.DURABLE.CREATE." + *stream + "." + durable);
      } else if (!filter.empty() && filter.find_first_of("*>") == std::string::npos) {
        // The filter rides in the subject only when literal: a subject with
        // wildcards is not a publish subject.
        subject = api("CONSUMER.CREATE." + *stream + "." + name + "." + filter);
      } else {
        subject = api("CONSUMER.CREATE." + *stream + "." + name);
      }
      body = dump(b);
      return {};
    }
  }
  return bad("unknown JetStream operation");
}

bool JsApiCall::State::on_json(std::string_view payload) {
  json reply = nats::detail::parse_json(payload);
  if (reply.is_discarded() || !reply.is_object()) {
    return finish({Errc::protocol_error, "JetStream API reply is not a JSON object"});
  }
  if (resolve != Resolve::none && resolve != Resolve::done) return on_resolve(reply, payload);
  if (auto e = js::api_error_of(payload)) return finish(std::move(*e));
  switch (op) {
    case ApiOp::stream_update:
    case ApiOp::consumer_update:
      if (args.value("merge", false) && !fetched_current) {
        // The current config, with the caller's fields over it.
        fetched_current = true;
        json merged = reply.value("config", json::object());
        for (auto &[k, v] : args["config"].items()) merged[k] = v;
        args["config"] = merged;
        if (Error e = prepare()) return finish(std::move(e));
        if (op == ApiOp::stream_update) {
          subject = api("STREAM.UPDATE." + merged.value("name", std::string()));
          body = dump(merged);
        }
        return false;
      }
      break;
    case ApiOp::stream_info: {
      // Subjects come in pages of the subjects_filter: gather them all.
      auto &state = reply["state"];
      if (state.is_object() && state.contains("subjects") && state["subjects"].is_object()) {
        for (auto &[k, v] : state["subjects"].items()) subjects[k] = v;
      }
      const auto total = reply.value("total", std::uint64_t{0});
      if (args.contains("subjects_filter") && subjects.size() < total &&
          state.value("subjects", json::object()).size() > 0) {
        offset = subjects.size();
        if (Error e = prepare()) return finish(std::move(e));
        return false;
      }
      if (!subjects.empty()) state["subjects"] = subjects;
      if (offset > 0) {
        // Gathered from pages: no page describes the result (as nats.js).
        for (const char *k : {"total", "offset", "limit"}) {
          if (reply.contains(k)) reply[k] = 0;
        }
      }
      result = dump(reply);
      return true;
    }
    case ApiOp::stream_msg_get: return decode_msg_get(reply, args.value("name", std::string()));
    default: break;
  }
  if (is_paged(op)) {
    const char *key = paged_key(op);
    const json &page = reply[key];  // null when there are none (STREAM.NAMES)
    std::size_t n = page.is_array() ? page.size() : 0;
    if (n > 0) items.insert(items.end(), page.begin(), page.end());
    offset += n;
    const auto total = reply.value("total", std::uint64_t{0});
    if (n > 0 && offset < total) {
      page_request();
      return false;
    }
    if (op == ApiOp::consumer_groups) {
      result = dump(json{{"groups", groups_of(items)}});
      return true;
    }
    if (op == ApiOp::kv_bucket_list) {
      json buckets = json::array();
      for (const auto &si : items) {
        const std::string name = si.value("config", json::object()).value("name", std::string());
        const std::string bucket = js::kv::bucket_of_stream(name);
        if (!bucket.empty()) buckets.push_back({{"bucket", bucket}, {"info", si}});
      }
      result = dump(json{{"buckets", buckets}});
      return true;
    }
    if (op == ApiOp::obj_store_list) {
      json stores = json::array();
      for (const auto &si : items) {
        const std::string name = si.value("config", json::object()).value("name", std::string());
        const std::string bucket = js::obj::bucket_of_stream(name);
        if (!bucket.empty()) stores.push_back({{"bucket", bucket}, {"info", si}});
      }
      result = dump(json{{"stores", stores}});
      return true;
    }
    result = dump(json{{key, items}, {"total", items.size()}});
    return true;
  }
  result.assign(payload);
  return true;
}

Result<JsApiCall> JsApiCall::start(js::ApiOp op, std::string_view args_json, std::string prefix,
                                   std::string payload,
                                   const std::map<std::string, std::string> *kv_mirrors) {
  auto state = std::make_unique<State>();
  state->op = op;
  state->prefix = std::move(prefix);
  state->kv_value = std::move(payload);
  state->args = args_json.empty() ? json::object() : nats::detail::parse_json(args_json);
  if (state->args.is_discarded() || !state->args.is_object()) {
    return Error{Errc::invalid_argument, "JetStream arguments must be a JSON object"};
  }
  // nlohmann's typed reads throw on a wrong type ({"merge":"yes"}): that is
  // the caller's bad argument, never an exception out of the engine.
  try {
    if (kv_mirrors != nullptr && !kv_mirrors->empty() &&
        (op == ApiOp::kv_get || op == ApiOp::kv_create)) {
      auto it = kv_mirrors->find(state->args.value("bucket", std::string()));
      if (it != kv_mirrors->end()) state->kv_source = it->second;
    }
    if (Error e = state->prepare()) return e;
  } catch (const json::exception &e) {
    return Error{Errc::invalid_argument, std::string("JetStream arguments: ") + e.what()};
  }
  return JsApiCall(std::move(state));
}

JsApiCall::JsApiCall(std::unique_ptr<State> state) : s_(std::move(state)) {}
JsApiCall::JsApiCall(JsApiCall &&) noexcept = default;
JsApiCall &JsApiCall::operator=(JsApiCall &&) noexcept = default;
JsApiCall::~JsApiCall() = default;

js::ApiOp JsApiCall::op() const { return s_->op; }
const std::string &JsApiCall::subject() const { return s_->subject; }
const std::string &JsApiCall::body() const { return s_->body; }
const std::string &JsApiCall::headers() const { return s_->req_headers; }
const Error &JsApiCall::error() const { return s_->error; }
std::string JsApiCall::take_result() { return std::move(s_->result); }
bool JsApiCall::has_stored() const { return s_->stored; }
js::StoredMessage JsApiCall::take_stored() { return std::move(s_->stored_msg); }

bool JsApiCall::on_timeout() { return s_->op == ApiOp::kv_get && s_->kv_on_timeout(); }

bool JsApiCall::on_reply(std::string_view headers, std::string_view payload) {
  // A reply with a field of the wrong type is the server's protocol error.
  try {
    if (js::is_kv_op(s_->op)) return s_->on_kv(headers, payload);
    if (js::is_obj_op(s_->op)) return s_->on_obj(headers, payload);
    if (s_->op == ApiOp::direct_get) return s_->on_direct(headers, payload);
    return s_->on_json(payload);
  } catch (const json::exception &e) {
    s_->error = Error{Errc::js_bad_reply, std::string("JetStream reply: ") + e.what()};
    return true;
  }
}

}  // namespace nats::detail
