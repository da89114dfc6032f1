// The values and table rows the runtime owns (runtime-bound parameters,
// runtime tables, the Alias of a board's row), kept in the store (spaces
// "value", "rows", "counter") with a mirror in memory.  Private to
// runtime/src/dm: the engine reaches it.
//
// It answers for the runtime-bound objects through the same per-object
// interface as the board's objects (ObjectBinding, binding.h): a runtime
// table's instances, an instance's values, writes, adds and removes.
//
// Changes are staged, not written: the engine commits them in the same
// store transaction as the rest of an operation (ParameterKey, attributes,
// acknowledged values), so an operation is one commit, all or nothing.
// Reads see what is staged over what is committed (a value set earlier in
// the same operation, the rows of a table just refilled).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "binding.h"
#include "cwmp/dm/schema.h"
#include "cwmp/store/store.h"

namespace cwmp::dm {

class RuntimeStore final : public ObjectBinding {
public:
    // Loads the committed values and rows from `store`; the schema, store
    // and cache must outlive it.
    RuntimeStore(const Schema& schema, store::Store& store);

    // The per-object interface, store-backed.  Reads see what is staged;
    // write, add and remove stage (the engine checked the values and the
    // table's limits; the engine's proposal is the new row's number).
    Fault instances(const Object& o, const Instance& parent, std::vector<std::uint32_t>& out) override;
    Fault read(const Object& o, const Instance& in, std::span<std::string> values,
               std::span<const std::uint16_t> wanted) override;
    Fault write(const Object& o, const Instance& in, std::span<const SlotValue> values) override;
    Fault add(const Object& o, const Instance& parent, std::uint32_t& number) override;
    Fault remove(const Object& o, const Instance& in) override;

    // The value of runtime-bound parameter `param` named `name` (full, with
    // `numbers`): stored, else where it starts (the row's default_value: the
    // model's default or a value the parameter allows, from the generator;
    // "cpe-<n>" for a board row's Alias).
    std::string value(std::uint16_t param, std::span<const std::uint32_t> numbers, std::string_view name) const;
    // The stored value, nullptr when none is.
    const std::string* find(std::string_view name) const;
    // The rows of runtime table `table` ("Device.X.Table."), in order.
    std::vector<std::uint32_t> rows(std::string_view table) const;
    // A number for a new row of `table`: above every number the table has
    // shown (a persisted counter) and every one of `rows`; 0 when they ran out.
    std::uint32_t next_number(std::string_view table, const std::vector<std::uint32_t>& rows) const;

    // Staged changes.
    void put(std::string name, std::string value);
    void put_rows(std::string table, const std::vector<std::uint32_t>& rows);
    void put_counter(std::string table, std::uint32_t last);
    // Every value and row stored under `prefix` (an instance or a table).
    void forget_under(std::string_view prefix);
    // Every value and row (not the counters: numbers are never reused).
    void forget_all();

    // Adds what is staged to `batch`; after the batch is committed,
    // applied() takes it into memory; discard() drops it.
    void stage(store::Store::Batch& batch) const;
    void applied();
    void discard();

    // Drops, when it goes, whatever its operation staged and did not apply
    // (an operation that returns early leaves nothing to the next one).
    class Scope {
    public:
        explicit Scope(RuntimeStore& s) noexcept : s_(s) {}
        ~Scope() { s_.discard(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        RuntimeStore& s_;
    };

private:
    using Mirror = std::map<std::string, std::string, std::less<>>;
    using Pending = std::map<std::string, std::optional<std::string>, std::less<>>;  // nullopt: erased

    const std::string* lookup(const Mirror& mirror, const Pending& pending, std::string_view key) const;
    // value(), into `out` (whose capacity a read of many instances reuses).
    void read_value(std::uint16_t param, std::span<const std::uint32_t> numbers, std::string_view name,
                    std::string& out) const;

    // Where a runtime value never written starts.
    enum class Start : std::uint8_t {
        Initial,     // the row's default_value
        BoardAlias,  // the Alias of a board's row: "cpe-<n>"
        On,          // AliasBasedAddressing: "true"
    };

    const Schema& schema_;
    store::Store& store_;
    std::vector<Start> starts_;         // per param
    Mirror values_;                     // "value"
    Mirror rows_;                       // "rows": "1,4,7"
    Pending pending_values_;
    Pending pending_rows_;
    std::map<std::string, std::string, std::less<>> pending_counters_;
    bool cleared_ = false;  // forget_all() staged
};

}  // namespace cwmp::dm
