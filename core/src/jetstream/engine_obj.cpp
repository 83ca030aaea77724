// Object store chunks and watches: chunks are publishes to the object's
// chunk subject, read back by an ordered consumer; watches (and lists) read
// the metadata subjects. The subjects are obj.cpp's rules.
#include "nats/engine.hpp"
#include "nats/jetstream/obj.hpp"

namespace nats {

namespace obj = js::obj;

Result<std::uint64_t> Engine::obj_put_chunk(std::uint64_t context, std::string_view bucket,
                                            std::string_view nuid, std::string_view data,
                                            Time now) {
  if (Error e = obj::validate_bucket(bucket)) return e;
  if (nuid.empty()) return Error{Errc::invalid_argument, "a chunk needs its object's nuid"};
  return js_publish(context, obj::chunk_subject(bucket, nuid), data, nullptr, {}, now);
}

Result<std::uint64_t> Engine::obj_read(std::uint64_t context, std::string_view bucket,
                                       std::string_view nuid, obj::Include include, Time now) {
  if (Error e = obj::validate_bucket(bucket)) return e;
  js::OrderedOptions o;
  if (nuid.empty()) {
    // Every object's latest info (list, watch), every info kept, or only changes.
    o.filter_subject = obj::meta_filter(bucket);
    o.deliver_policy = include == obj::Include::updates   ? "new"
                       : include == obj::Include::history ? "all"
                                                          : "last_per_subject";
  } else {
    o.filter_subject = obj::chunk_subject(bucket, nuid);
    o.deliver_policy = "all";
  }
  auto id = ordered_create(context, obj::stream_name(bucket), o, now);
  if (id) js_.ordered.at(*id).bucket.assign(bucket);
  return id;
}

}  // namespace nats
