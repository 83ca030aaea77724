// JetStream contexts, operation names and name rules (no JSON here).
#include "nats/jetstream/api.hpp"

#include <array>

#include "nats/subject.hpp"

namespace nats::js {
namespace {

constexpr std::array kOps{
    ApiOp::account_info,      ApiOp::stream_create,    ApiOp::stream_update,
    ApiOp::stream_info,       ApiOp::stream_delete,    ApiOp::stream_purge,
    ApiOp::stream_names,      ApiOp::stream_list,      ApiOp::stream_msg_get,
    ApiOp::stream_msg_delete, ApiOp::direct_get,       ApiOp::consumer_create,
    ApiOp::consumer_update,   ApiOp::consumer_info,    ApiOp::consumer_delete,
    ApiOp::consumer_names,    ApiOp::consumer_list,    ApiOp::offset_start,
    ApiOp::consumer_groups,   ApiOp::kv_bucket_create, ApiOp::kv_bucket_info,
    ApiOp::kv_bucket_delete,  ApiOp::kv_bucket_list,   ApiOp::kv_get,
    ApiOp::kv_create,         ApiOp::obj_store_create, ApiOp::obj_store_info,
    ApiOp::obj_store_delete,  ApiOp::obj_store_seal,   ApiOp::obj_info,
    ApiOp::obj_put_meta,      ApiOp::obj_delete,       ApiOp::obj_store_list,
    ApiOp::obj_purge_chunks,  ApiOp::obj_update_meta,
};
// all_api_ops() promises numeric order (the ABI numbers are positions here).
static_assert([] {
  for (std::size_t i = 0; i < kOps.size(); ++i) {
    if (static_cast<std::size_t>(kOps[i]) != i) return false;
  }
  return true;
}());

// What nats.js refuses in names (minValidation): separators of subjects and
// paths, wildcards and whitespace.
constexpr std::string_view kForbidden = ".*>/\\ \t\r\n\f";

Error check_name(std::string_view name, std::string_view what) {
  if (name.empty()) return {Errc::invalid_name, std::string(what) + " name required"};
  if (auto at = name.find_first_of(kForbidden); at != std::string_view::npos) {
    std::string shown(1, name[at]);
    if (name[at] == '\t') shown = "\\t";
    if (name[at] == '\r') shown = "\\r";
    if (name[at] == '\n') shown = "\\n";
    return {Errc::invalid_name, std::string(what) + " name ('" + std::string(name) +
                                    "') cannot contain '" + shown + "'"};
  }
  if (name.size() > 255) {
    return {Errc::invalid_name, std::string(what) + " name is longer than 255 characters"};
  }
  return {};
}

}  // namespace

Result<std::string> api_prefix(const ContextOptions &options) {
  if (options.timeout.count() <= 0) {
    return Error{Errc::invalid_argument, "JetStream timeout must be > 0"};
  }
  if (options.max_pending == 0) {
    return Error{Errc::invalid_argument, "the publish window (max pending) must be > 0"};
  }
  if (!options.domain.empty()) {
    if (Error e = validate_publish_subject(options.domain)) {
      return Error{Errc::invalid_argument, "domain: " + e.message};
    }
    return "$JS." + options.domain + ".API";
  }
  std::string_view p = options.prefix;
  while (!p.empty() && p.back() == '.') p.remove_suffix(1);
  if (p.empty()) return Error{Errc::invalid_argument, "'prefix' cannot be empty"};
  if (Error e = validate_publish_subject(p)) {
    return Error{Errc::invalid_argument, "prefix: " + e.message};
  }
  return std::string(p);
}

std::string_view api_op_name(ApiOp op) {
  switch (op) {
    case ApiOp::account_info: return "account_info";
    case ApiOp::stream_create: return "stream_create";
    case ApiOp::stream_update: return "stream_update";
    case ApiOp::stream_info: return "stream_info";
    case ApiOp::stream_delete: return "stream_delete";
    case ApiOp::stream_purge: return "stream_purge";
    case ApiOp::stream_names: return "stream_names";
    case ApiOp::stream_list: return "stream_list";
    case ApiOp::stream_msg_get: return "stream_msg_get";
    case ApiOp::stream_msg_delete: return "stream_msg_delete";
    case ApiOp::direct_get: return "direct_get";
    case ApiOp::consumer_create: return "consumer_create";
    case ApiOp::consumer_update: return "consumer_update";
    case ApiOp::consumer_info: return "consumer_info";
    case ApiOp::consumer_delete: return "consumer_delete";
    case ApiOp::consumer_names: return "consumer_names";
    case ApiOp::consumer_list: return "consumer_list";
    case ApiOp::offset_start: return "offset_start";
    case ApiOp::consumer_groups: return "consumer_groups";
    case ApiOp::kv_bucket_create: return "kv_bucket_create";
    case ApiOp::kv_bucket_info: return "kv_bucket_info";
    case ApiOp::kv_get: return "kv_get";
    case ApiOp::kv_create: return "kv_create";
    case ApiOp::kv_bucket_delete: return "kv_bucket_delete";
    case ApiOp::kv_bucket_list: return "kv_bucket_list";
    case ApiOp::obj_store_create: return "obj_store_create";
    case ApiOp::obj_store_info: return "obj_store_info";
    case ApiOp::obj_store_delete: return "obj_store_delete";
    case ApiOp::obj_store_seal: return "obj_store_seal";
    case ApiOp::obj_info: return "obj_info";
    case ApiOp::obj_put_meta: return "obj_put_meta";
    case ApiOp::obj_delete: return "obj_delete";
    case ApiOp::obj_store_list: return "obj_store_list";
    case ApiOp::obj_purge_chunks: return "obj_purge_chunks";
    case ApiOp::obj_update_meta: return "obj_update_meta";
  }
  return "unknown";
}

std::span<const ApiOp> all_api_ops() { return kOps; }

Error validate_stream_name(std::string_view name) { return check_name(name, "stream"); }

Error validate_consumer_name(std::string_view name, std::string_view what) {
  return check_name(name, what);
}

}  // namespace nats::js
