// The generated data-model tables: constant-initialised, sorted by path, no
// run-time registration. The generator emits one Schema per device profile.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cwmp/dm/types.h"
#include "cwmp/fault.h"

namespace cwmp::dm {

class Context;

// A numeric bound, sign and magnitude, so that the whole of int, long,
// unsignedInt and unsignedLong fits without a wider integer.
struct Bound {
    bool set = false;
    bool negative = false;
    std::uint64_t magnitude = 0;
};

struct Range {
    Bound min;
    Bound max;
    std::uint64_t step = 0;  // 0: no step
};

struct Size {
    std::uint32_t min = 0;
    std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
};

// A parameter's value facets; spans into per-area constant arrays.
struct Constraint {
    std::span<const Range> ranges;
    std::span<const Size> sizes;
    std::span<const std::string_view> enums;
    std::span<const std::string_view> patterns;
    // List facets, for list-valued parameters.
    std::uint32_t min_items = 0;
    std::uint32_t max_items = std::numeric_limits<std::uint32_t>::max();
    Size list_size;
};


struct Param {
    std::string_view path;  // template: "Device.IP.Interface.{i}.Enable"
    std::uint16_t object;   // index into Schema::objects
    Type type;
    Access access;
    Notify notify;
    Binding binding;
    bool forced_inform;
    bool list;
    bool hidden;            // hidden or secured: reads back as an empty string (passwords)
    bool has_default;
    std::string_view default_value;  // object default (runtime-stored values start there)
    const Constraint* constraint;
    std::uint16_t slot;     // position among its object's params (Object::read/write)
};

// Per-object thunks over the platform: the instance numbers of a table below
// `parent`; every platform value of one instance at once (values[k] is the
// wire form of params[k] of the object; other slots are left untouched); and
// creating or deleting an instance of a platform-bound table.
using InstancesFn = Fault (*)(Context&, const Instance& parent, std::vector<std::uint32_t>& out);
using ReadFn = Fault (*)(Context&, const Instance&, std::span<std::string> values);
// One value of a write: which of the object's params (its slot) and the new
// value in wire form.  A write hands the platform all values of one object
// instance at once, so it can check them together.
struct SlotValue {
    std::uint16_t slot;
    std::string_view value;
};
using WriteFn = Fault (*)(Context&, const Instance&, std::span<const SlotValue> values);
using AddFn = Fault (*)(Context&, const Instance& parent, std::uint32_t& number);
using DeleteFn = Fault (*)(Context&, const Instance&);

struct Object {
    std::string_view path;  // "Device.IP.Interface.{i}."
    ObjectAccess access;
    Binding binding;
    bool multi;
    std::uint32_t min_entries;
    std::uint32_t max_entries;  // UINT32_MAX: unbounded
    std::uint16_t parent;       // index into Schema::objects; kNone for the root
    std::string_view num_entries;  // name of the parent's counting parameter
    std::span<const std::uint16_t> params;  // indexes into Schema::params
    InstancesFn instances;  // platform-bound tables
    ReadFn read;            // objects with platform-bound parameters
    WriteFn write;          // objects with writable platform-bound parameters
    AddFn add;              // platform-bound tables the ACS may create in
    DeleteFn remove;        // platform-bound tables the ACS may delete from
    static constexpr std::uint16_t kNone = 0xffff;
};

// The type a value carries on the wire (xsi:type): a list is a string.
inline Type wire_type(const Param& p) noexcept { return p.list ? Type::String : p.type; }

struct Schema {
    std::string_view profile;
    std::string_view root_model;   // "Device:2.19"
    std::span<const Object> objects;  // sorted by path
    std::span<const Param> params;    // sorted by path
    // What DeviceInfo.SupportedDataModel.{i}. says of the profile: the URN
    // of the document that defines the root model, and the UUID of the
    // profile's DT instance (dmgen dt writes the same one).
    std::string_view root_spec = {};
    std::string_view dt_uuid = {};
};

// The root model's version: "Device:2.19" -> "2.19" (RootDataModelVersion).
constexpr std::string_view model_version(const Schema& s) noexcept {
    const std::size_t colon = s.root_model.find(':');
    return colon == std::string_view::npos ? std::string_view{} : s.root_model.substr(colon + 1);
}

// Binary searches over the sorted tables; nullptr when absent.
const Param* find_param(const Schema& s, std::string_view path_template) noexcept;
const Object* find_object(const Schema& s, std::string_view path_template) noexcept;

// One platform-bound value, through its object's read or write function.
// get_value: InternalError for a parameter the platform does not provide
// (runtime- and count-bound ones are the engine's).  set_value checks the
// value against the parameter's type and facets before the platform sees it.
Fault get_value(const Schema& s, const Param& p, Context& ctx, const Instance& in, std::string& out);
Fault set_value(const Schema& s, const Param& p, Context& ctx, const Instance& in,
                std::string_view value);

// The regular expressions of the model's patterns, compiled once (the
// patterns are the tables' string constants, so their address is the key).
class PatternCache {
public:
    // Whether `value` matches one of `patterns` (a pattern std::regex cannot
    // compile is not enforced rather than refusing every value).
    bool matches(std::span<const std::string_view> patterns, std::string_view value);

private:
    std::unordered_map<const char*, std::optional<std::regex>> compiled_;
};

// Checks a value in its wire form against a parameter's type and facets:
// Fault::None, or InvalidParameterType / InvalidParameterValue.  Without a
// cache, patterns are compiled for this call.
Fault validate(const Param& p, std::string_view value, PatternCache* cache = nullptr);

}  // namespace cwmp::dm
