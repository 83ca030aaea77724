#pragma once
// Object store JSON the native host reads and writes: object infos (the
// record every client keeps on $O.<bucket>.M.<name>) and obj_store_list's
// reply. The only file of the native host that uses a JSON library.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"
#include "nats/native/obj.hpp"

namespace nats::native::detail {

/// Now as nanoseconds since the Unix epoch: the time the engine stamps an info with.
std::int64_t now_unix_ns();

/// An info record as JSON (bucket and revision left out: the engine adds them).
std::string object_info_json(const ObjectInfo &info);
/// An info record; `revision` when the record has none (watches, lists).
Result<ObjectInfo> object_info_from_json(std::string_view json, std::uint64_t revision = 0);

/// One store of obj_store_list's reply: its name and stream info JSON.
struct ListedStore {
  std::string bucket;
  std::string info_json;
};
/// obj_store_list's reply: {"stores":[{"bucket":..., "info":{...}}]}.
Result<std::vector<ListedStore>> store_list_from_json(std::string_view json);

}  // namespace nats::native::detail
