#include "runtime_store.h"

#include <algorithm>
#include <charconv>

#include "cwmp/dm/value.h"
#include "internal.h"

namespace cwmp::dm {
namespace {

using detail::kCounters;
using detail::kRows;
using detail::kValues;

// Rows of a runtime table are stored as "1,4,7".
std::vector<std::uint32_t> parse_rows(std::string_view s) {
    std::vector<std::uint32_t> rows;
    for (std::string_view part : split_list(s)) {
        std::uint32_t n = 0;
        if (parse(part, n) == Fault::None && n != 0) rows.push_back(n);
    }
    return rows;
}

std::string format_rows(const std::vector<std::uint32_t>& rows) {
    std::string s;
    format(s, rows);
    return s;
}

}  // namespace

RuntimeStore::RuntimeStore(const Schema& schema, store::Store& store)
    : schema_(schema), store_(store), starts_(schema.params.size(), Start::Initial) {
    const std::string_view alias_based = schema.paths.management_server.alias_based_addressing;
    for (std::size_t i = 0; i < schema.params.size(); ++i) {
        const Param& p = schema.params[i];
        if (p.binding != Binding::Runtime) continue;
        const Object& o = schema.objects[p.object];
        if (o.multi && o.binding == Binding::Platform && leaf_name(p.path) == "Alias") starts_[i] = Start::BoardAlias;
        if (!alias_based.empty() && p.path == alias_based) starts_[i] = Start::On;
    }
    for (auto& [k, v] : store_.all(kValues)) values_.emplace(k, std::move(v));
    for (auto& [k, v] : store_.all(kRows)) rows_.emplace(k, std::move(v));
}

const std::string* RuntimeStore::lookup(const Mirror& mirror, const Pending& pending, std::string_view key) const {
    if (auto it = pending.find(key); it != pending.end()) return it->second ? &*it->second : nullptr;
    if (cleared_) return nullptr;
    auto it = mirror.find(key);
    return it == mirror.end() ? nullptr : &it->second;
}

const std::string* RuntimeStore::find(std::string_view name) const {
    return lookup(values_, pending_values_, name);
}

std::string RuntimeStore::value(std::uint16_t param, std::span<const std::uint32_t> numbers,
                                std::string_view name) const {
    std::string out;
    read_value(param, numbers, name, out);
    return out;
}

void RuntimeStore::read_value(std::uint16_t param, std::span<const std::uint32_t> numbers, std::string_view name,
                              std::string& out) const {
    if (const std::string* v = find(name)) {
        out = *v;
        return;
    }
    switch (starts_[param]) {
    case Start::BoardAlias:
        // The Alias of a board's table that the board leaves to the engine:
        // stored per instance as the ACS sets it; until then the CPE-assigned
        // "cpe-<number>" (TR-069 3.6.1), also for rows the board made itself.
        if (!numbers.empty()) {
            out = "cpe-";
            out += std::to_string(numbers.back());
            return;
        }
        break;
    case Start::On: out = "true"; return;  // AliasBasedAddressing: this agent supports it
    case Start::Initial: break;
    }
    out = schema_.params[param].default_value;
}

// --- the per-object interface ------------------------------------------------

namespace {

// The concrete path of the table an instance of `o` below `parent` is in.
std::string table_of(const Object& o, std::span<const std::uint32_t> parent) {
    return detail::instance_path(table_path(o.path), parent);
}

}  // namespace

Fault RuntimeStore::instances(const Object& o, const Instance& parent, std::vector<std::uint32_t>& out) {
    out = rows(table_of(o, parent.numbers));
    return Fault::None;
}

Fault RuntimeStore::read(const Object& o, const Instance& in, std::span<std::string> values,
                         std::span<const std::uint16_t> wanted) {
    std::string name = detail::instance_path(o.path, in.numbers);
    const std::size_t base = name.size();
    auto read_slot = [&](std::size_t k) {
        if (k >= o.params.size() || k >= values.size()) return;
        const Param& p = schema_.params[o.params[k]];
        if (p.binding != Binding::Runtime) return;  // the board's or a count
        name.resize(base);
        name += leaf_name(p.path);
        read_value(o.params[k], in.numbers, name, values[k]);
    };
    // Each value is a lookup by its full name: a caller after one of an
    // object's sixty values pays for one.
    if (wanted.empty())
        for (std::size_t k = 0; k < o.params.size(); ++k) read_slot(k);
    for (std::uint16_t k : wanted) read_slot(k);
    return Fault::None;
}

Fault RuntimeStore::write(const Object& o, const Instance& in, std::span<const SlotValue> values) {
    const std::string prefix = detail::instance_path(o.path, in.numbers);
    for (const SlotValue& sv : values) {
        if (sv.slot >= o.params.size()) return Fault::InternalError;
        put(prefix + std::string(leaf_name(schema_.params[o.params[sv.slot]].path)), std::string(sv.value));
    }
    return Fault::None;
}

Fault RuntimeStore::add(const Object& o, const Instance& parent, std::uint32_t& number) {
    std::string table = table_of(o, parent.numbers);
    std::vector<std::uint32_t> current = rows(table);
    if (number == 0 || std::find(current.begin(), current.end(), number) != current.end())
        return Fault::InternalError;  // not a number the engine proposes
    current.push_back(number);
    put_rows(std::move(table), current);
    return Fault::None;
}

Fault RuntimeStore::remove(const Object& o, const Instance& in) {
    if (in.numbers.empty()) return Fault::InvalidParameterName;
    std::string table = table_of(o, in.numbers.first(in.numbers.size() - 1));
    std::vector<std::uint32_t> current = rows(table);
    const auto it = std::find(current.begin(), current.end(), in.numbers.back());
    if (it == current.end()) return Fault::InvalidParameterName;
    current.erase(it);
    put_rows(std::move(table), current);
    return Fault::None;
}

// --- values and rows -------------------------------------------------------------

std::vector<std::uint32_t> RuntimeStore::rows(std::string_view table) const {
    const std::string* s = lookup(rows_, pending_rows_, table);
    return s == nullptr ? std::vector<std::uint32_t>{} : parse_rows(*s);
}

// Instance numbers are never reused: a persisted counter per table, kept
// above every number the table has shown.
std::uint32_t RuntimeStore::next_number(std::string_view table, const std::vector<std::uint32_t>& rows) const {
    std::uint64_t last = 0;
    if (auto it = pending_counters_.find(table); it != pending_counters_.end())
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), last);
    else if (auto c = store_.get(kCounters, table))
        std::from_chars(c->data(), c->data() + c->size(), last);
    for (std::uint32_t n : rows) last = std::max<std::uint64_t>(last, n);
    return last >= UINT32_MAX ? 0 : static_cast<std::uint32_t>(last + 1);
}

void RuntimeStore::put(std::string name, std::string value) { pending_values_[std::move(name)] = std::move(value); }

void RuntimeStore::put_rows(std::string table, const std::vector<std::uint32_t>& rows) {
    pending_rows_[std::move(table)] = format_rows(rows);
}

void RuntimeStore::put_counter(std::string table, std::uint32_t last) {
    pending_counters_[std::move(table)] = std::to_string(last);
}

void RuntimeStore::forget_under(std::string_view prefix) {
    auto forget = [&](const Mirror& mirror, Pending& pending) {
        if (!cleared_)
            for (std::string& k : detail::keys_under(mirror, prefix)) pending[std::move(k)] = std::nullopt;
        for (auto it = pending.lower_bound(prefix); it != pending.end() && it->first.starts_with(prefix); ++it)
            it->second = std::nullopt;
    };
    forget(values_, pending_values_);
    forget(rows_, pending_rows_);
}

void RuntimeStore::forget_all() {
    pending_values_.clear();
    pending_rows_.clear();
    cleared_ = true;
}

void RuntimeStore::stage(store::Store::Batch& batch) const {
    if (cleared_) {
        for (const auto& [k, v] : values_) batch.erase(std::string(kValues), k);
        for (const auto& [k, v] : rows_) batch.erase(std::string(kRows), k);
    }
    auto add = [&](std::string_view space, const Pending& pending) {
        for (const auto& [k, v] : pending) {
            if (v) batch.put(std::string(space), k, *v);
            else batch.erase(std::string(space), k);
        }
    };
    add(kValues, pending_values_);
    add(kRows, pending_rows_);
    for (const auto& [k, v] : pending_counters_) batch.put(std::string(kCounters), k, v);
}

void RuntimeStore::applied() {
    if (cleared_) {
        values_.clear();
        rows_.clear();
    }
    auto apply = [](Mirror& mirror, Pending& pending) {
        for (auto& [k, v] : pending) {
            if (v) mirror.insert_or_assign(k, std::move(*v));
            else mirror.erase(k);
        }
    };
    apply(values_, pending_values_);
    apply(rows_, pending_rows_);
    discard();
}

void RuntimeStore::discard() {
    pending_values_.clear();
    pending_rows_.clear();
    pending_counters_.clear();
    cleared_ = false;
}

}  // namespace cwmp::dm
