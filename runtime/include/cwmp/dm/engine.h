// The data-model engine: the generated tables made live.  It resolves ACS
// paths to instances, walks subtrees, and reads and changes each object
// through its binding (one per-object interface: the board's functions, or
// the runtime's store for runtime-bound parameters and tables), changes all
// or nothing; it keeps attributes and ParameterKey itself.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cwmp/dm/context.h"
#include "cwmp/dm/path.h"
#include "cwmp/dm/schema.h"
#include "cwmp/fault.h"
#include "cwmp/store/store.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::dm {

class ObjectBinding;
class BoardObjects;
class RuntimeStore;

// A fault about one named item (a SetParameterValuesFault, or the reason a
// name could not be resolved).
struct NameFault {
    std::string name;
    Fault code;
    std::string message;
};

// The outcome of an engine operation: Fault::None, or a fault with a message
// for the ACS and, for SetParameterValues, one entry per bad parameter.
struct Outcome {
    Fault code = Fault::None;
    std::string message;
    std::vector<NameFault> details;

    explicit operator bool() const noexcept { return code == Fault::None; }
    static Outcome fail(Fault code, std::string message) { return {code, std::move(message), {}}; }
};

// Parameter attributes (TR-069 A.3.2.4/A.3.2.5).
struct Attributes {
    unsigned notification = 0;           // 0 to 6 (cwmp-1-4.xsd), see below
    std::vector<std::string> access_list;  // "Subscriber" is the only defined entry
};

// The Notification attribute names two mechanisms that work independently
// (cwmp-1-4.xsd ParameterAttributeNotificationValueType): the Inform's and
// the lightweight notification's (TR-069 Annex M).  Each is 0 off, 1 passive,
// 2 active: 1/2 are Inform only, 3 passive lightweight, 4 passive + passive
// lightweight, 5 active lightweight, 6 passive + active lightweight.
constexpr unsigned inform_notification(unsigned n) noexcept {
    return n == 2 ? 2 : (n == 1 || n == 4 || n == 6) ? 1 : 0;
}
constexpr unsigned lightweight_notification(unsigned n) noexcept {
    return (n == 5 || n == 6) ? 2 : (n == 3 || n == 4) ? 1 : 0;
}

struct AttributeChange {
    std::string name;  // full or partial path
    std::optional<unsigned> notification;
    std::optional<std::vector<std::string>> access_list;
};

struct ValueChange {
    std::string name;
    std::string value;
    unsigned notification;  // 1 passive, 2 active (of the mechanism that reports it)
};

// The rows of a child table, listed once for the instance being walked
// (shared by its NumberOfEntries value and the walk below it).
struct KnownRows {
    std::uint16_t object;
    std::vector<std::uint32_t> rows;
};

class Engine {
public:
    // Loads the runtime-owned state from `store`; the schema, context and
    // store must outlive the engine.
    Engine(const Schema& schema, Context& ctx, store::Store& store);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const Schema& schema() const noexcept { return schema_; }
    // The parameters with forcedInform that are not in a table (every Inform
    // carries them), in schema order; listed once, not found by a scan of
    // the whole schema per Inform.
    std::span<const std::uint16_t> forced_inform() const noexcept { return forced_inform_; }

    // Where the board's failures are logged (with the instance's path and the
    // cause); none: they only reach the faults' text.
    void set_log(const util::Log* log) noexcept;

    // CWMP 1.4 alias-based addressing ("Device.IP.Interface.[wan].") in the
    // names an ACS sends; a session enables it when both sides support it.
    void set_alias_addressing(bool on) noexcept { alias_addressing_ = on; }
    bool alias_addressing() const noexcept { return alias_addressing_; }

    // InstanceMode (TR-069 3.6.1; TR-181 ManagementServer.InstanceMode): how
    // answers and Informs name instances.  While alias addressing is on and
    // InstanceMode is InstanceAlias, an instance of a table with an Alias
    // is written "[alias]" instead of its number; otherwise names pass as
    // they are.  An Inform goes out before the ACS says which version it
    // uses, so `inform` follows InstanceMode alone (only a CWMP 1.4 ACS sets
    // it).  One Namer per answer: it remembers the instances it read.
    class Namer {
    public:
        explicit Namer(Engine& e, bool inform = false);
        std::string_view operator()(std::string_view name);

    private:
        Engine& e_;
        bool on_ = false;
        std::unordered_map<std::string, std::string> shown_;  // "Device.X.3." -> "Device.X.[a]."
        std::string out_;
    };

    // GetParameterNames: `visit(name, writable)` for each item, in order.
    // The empty path is the root.  Nothing is visited unless the path resolves.
    using NameVisitor = std::function<void(std::string_view name, bool writable)>;
    Outcome get_names(std::string_view path, bool next_level, const NameVisitor& visit);

    // GetParameterValues: every name is resolved first (a bad one fails the
    // whole request before anything is visited); then `visit` is called for
    // each parameter, in the order of the names, subtrees in table order.
    using ValueVisitor = std::function<void(std::string_view name, const Param& p, std::string_view value)>;
    Outcome get_values(std::span<const std::string> names, const ValueVisitor& visit);

    // One value by full name (for Inform parameters and tools).
    Outcome get_value(std::string_view name, std::string& value);

    // SetParameterValues: all or nothing.  ParameterKey is set with the
    // values, only when every one of them was applied.  With alias
    // addressing and AutoCreateInstances true, a name with an "[alias]" of
    // no instance creates that instance (with that Alias) first, and a
    // failed request removes it again (TR-069 A.3.2.1); with it false such a
    // name is 9005 Invalid parameter name.
    struct NameValue {
        std::string name;
        std::string value;
        std::string type;  // the xsi:type's local name ("unsignedInt"), "" without one
    };
    // Who makes the change: the ACS's own changes are acknowledged as they
    // are made (never notified back to it) and set ParameterKey; a local
    // change (cwmpctl) is not acknowledged, so it raises 4 VALUE CHANGE per
    // the parameters' notification attributes, and leaves ParameterKey as it
    // is (`parameter_key` is ignored).  The access rules are the same.
    enum class Origin : std::uint8_t { Acs, Local };
    Outcome set_values(std::span<const NameValue> values, std::string_view parameter_key,
                       Origin origin = Origin::Acs);

    // GetParameterAttributes / SetParameterAttributes (all or nothing).
    using AttributeVisitor = std::function<void(std::string_view name, const Attributes&)>;
    Outcome get_attributes(std::span<const std::string> names, const AttributeVisitor& visit);
    Outcome set_attributes(std::span<const AttributeChange> changes);

    // AddObject: `table` is "Device.X.Table." (or "Device.X.Table.[alias]."
    // with alias addressing, which names the new instance).
    Outcome add_object(std::string_view table, std::string_view parameter_key, std::uint32_t& number,
                       Origin origin = Origin::Acs);
    // DeleteObject: `instance` is "Device.X.Table.3.".
    Outcome delete_object(std::string_view instance, std::string_view parameter_key, Origin origin = Origin::Acs);

    // Runtime-bound parameters written by the agent itself (ConnectionRequestURL,
    // diagnostics results...): no access check, persisted.  The name is a
    // full instance path.
    Outcome set_runtime(std::string_view name, std::string value);
    // A factory default of a runtime-bound parameter (from the daemon's
    // configuration): checked against the parameter, and applied only while
    // no value is stored.
    Outcome set_runtime_default(std::string_view name, std::string value);
    // A row of a runtime-bound table the agent fills itself (diagnostics results).
    Outcome add_runtime_row(std::string_view table, std::uint32_t& number);

    // Value-change tracking: the parameters with Notification 1 or 2 (or a
    // forced active notification) whose value differs from the one last
    // acknowledged.  Values the ACS sets itself are acknowledged as it sets them.
    std::vector<ValueChange> changes();
    void acknowledge(std::span<const ValueChange> reported);

    // The same for lightweight notifications (Notification 3 to 6), with
    // baselines of their own: a value reported by UDP is still a change for
    // the next Inform of a parameter with 4 or 6, and the other way round.
    std::vector<ValueChange> lightweight_changes();
    void acknowledge_lightweight(std::span<const ValueChange> reported);

    // Whether the agent sends lightweight notifications at all
    // (LightweightNotificationProtocolsSupported not empty): without them,
    // SetParameterAttributes refuses Notification 3 to 6 with 9009.
    void set_lightweight_supported(bool on) noexcept { lightweight_supported_ = on; }

    // Called after runtime-owned values change through the ACS (the session
    // layer reacts to PeriodicInformInterval and friends at once).
    using ChangeListener = std::function<void(std::string_view name, std::string_view value)>;
    void on_runtime_change(ChangeListener listener) { listener_ = std::move(listener); }
    // The same, once per SetParameterValues with all its runtime values in
    // request order (a diagnostic must see "Requested" and its parameters together).
    using BatchListener = std::function<void(std::span<const std::pair<std::string, std::string>> changes)>;
    void on_runtime_batch(BatchListener listener) { batch_listener_ = std::move(listener); }

    // Results the agent writes at once (one store commit, lazy): each table
    // of `tables` emptied (its rows and their values) and given the rows
    // 1..n, then `values` (full names, those of the new rows included) set;
    // names the model lacks are skipped and listed in the outcome's details.
    struct RuntimeResults {
        std::vector<std::pair<std::string, std::uint32_t>> tables;  // "Device.X.Table." -> n
        std::vector<std::pair<std::string, std::string>> values;
    };
    Outcome write_runtime(const RuntimeResults& results);

    // A check of a runtime-bound value beyond its type and facets: a feature
    // the agent does not carry out refuses the values that would turn it on
    // (9007 with the reason returned), so no write is accepted and ignored.
    // Consulted by SetParameterValues and set_runtime_default.  One guard per
    // owner ("diagnostics", "connreq-features"): setting it again replaces
    // it, an empty one removes it (its owner's destructor does, so none
    // outlives what it captures).
    using RuntimeGuard = std::function<std::optional<std::string>(std::string_view name, std::string_view value)>;
    void set_runtime_guard(const std::string& owner, RuntimeGuard guard) {
        if (guard) guards_[owner] = std::move(guard);
        else guards_.erase(owner);
    }

    // Forgets every runtime value, attribute and table row (FactoryReset).
    void reset();

    // Moves with every change of stored values or rows (SetParameterValues,
    // AddObject, DeleteObject, the agent's own writes, a reset): a reader of
    // settings kept in the model re-reads them only when it moved.
    std::uint64_t revision() const noexcept { return revision_; }

    // Checks a value against its parameter's type and facets, patterns cached.
    Fault check(const Param& p, std::string_view value);

private:
    struct Node;
    class Walker;

    Outcome resolve(std::string_view path, Node& node);
    Outcome apply_values(std::span<const NameValue> values, std::string_view parameter_key, Origin origin);
    Outcome auto_create(std::span<const NameValue> values, std::vector<std::string>& created);
    bool runtime_flag(std::string_view name, std::string_view on);
    // The instance numbers of table `object` ("Device.X.{i}.") below the
    // parent instance `parent`, from the table's binding.
    Fault instances(std::uint16_t object, std::span<const std::uint32_t> parent, std::vector<std::uint32_t>& out);
    Fault find_instance(std::uint16_t object, std::span<const std::uint32_t> parent, const InstanceKey& key,
                        std::uint32_t& number);
    // Every value of one instance of `object`, from each binding of its
    // parameters, counts included; `values` is per slot.
    Fault read_object(std::uint16_t object, std::span<const std::uint32_t> numbers, std::vector<std::string>& values,
                      std::span<const KnownRows> known = {});
    // The values binding `b` keeps of one instance of `o` (other slots
    // empty); of the slots `wanted` at least (empty: every slot).
    Fault read_bound(ObjectBinding& b, const Object& o, std::span<const std::uint32_t> numbers,
                     std::vector<std::string>& values, std::span<const std::uint16_t> wanted = {});
    // One parameter's value, read from its binding alone (counted by the
    // engine for a Count parameter); `values` is the scratch for the read.
    Fault value_of(const Node& n, std::vector<std::string>& values, std::string& value);
    unsigned default_notification(const Param& p) const;
    // The tracked parameters' values that differ from `seen` (first sightings
    // become the baseline, in `space`).
    std::vector<ValueChange> compare(const std::map<std::string, unsigned>& tracked,
                                     std::map<std::string, std::string, std::less<>>& seen, std::string_view space);
    Attributes attributes_of(const Param& p, std::string_view name) const;
    std::string count_of(std::uint16_t param, std::span<const std::uint32_t> numbers,
                         std::span<const KnownRows> known = {});
    // Who keeps the instances of object `o` (its rows, adds and removes),
    // and who keeps parameter `p`'s value (not for Count parameters, which
    // the engine counts).
    ObjectBinding& binding(const Object& o) const noexcept;
    ObjectBinding& binding(const Param& p) const noexcept;
    // An instance added for an AddObject that then failed: removed again
    // (a failure is logged: the board keeps a stray row).
    void remove_again(const Object& o, std::span<const std::uint32_t> numbers);
    // `message`, with the last board failure's path and cause when there is
    // one (used up: a later fault does not repeat it).
    std::string with_cause(std::string message);
    // ParameterKey as the engine stored it (it writes it with every change
    // the ACS makes): read from memory, so nothing can fail.
    std::string stored_parameter_key() const;
    // A store commit that failed: 9002 naming `what` (the parameters or
    // instance it was to store) and the store's cause; logged for an ACS's
    // request (`log`), left to the caller for the agent's own writes, which
    // a poll repeats (dm::Own logs them once).
    Outcome store_failure(std::string_view what, const store::StoreError& e, bool log = true) const;

    const Schema& schema_;
    store::Store& store_;
    bool alias_addressing_ = false;
    bool lightweight_supported_ = false;
    PatternCache patterns_;
    ChangeListener listener_;
    BatchListener batch_listener_;
    std::map<std::string, RuntimeGuard, std::less<>> guards_;  // by owner
    std::optional<std::string> guarded_out(std::string_view name, std::string_view value) const;
    std::uint64_t revision_ = 0;
    const util::Log* log_ = nullptr;
    // A store commit that changes values or rows (and so the revision):
    // `batch` with what the runtime store staged, all or nothing.
    void commit_model(store::Store::Batch& batch, store::Durability durability = store::Durability::Lazy);

    // Derived from the schema once.
    std::vector<std::vector<std::uint16_t>> children_;  // per object
    std::vector<std::uint16_t> counted_;                // per param: table it counts (Count binding)
    std::vector<std::string_view> leaves_;              // per param: its name within its object
    // Parameters with a forced notification: those outside tables by name,
    // once; those in tables found by walking the subtrees that hold them.
    std::vector<std::uint16_t> forced_static_;
    std::vector<bool> forced_below_;                    // per object: a forced-notification table parameter in its subtree
    bool any_forced_ = false;                           // any table parameter with a forced notification
    std::vector<std::uint16_t> forced_inform_;          // see forced_inform()

    // The bindings (runtime/src/dm/binding.h): the board's objects, and the
    // runtime-bound values and runtime tables (runtime_store.h).
    std::unique_ptr<BoardObjects> board_;
    std::unique_ptr<RuntimeStore> runtime_;
    std::vector<ObjectBinding*> rows_by_;  // per object: binding(o)
    std::vector<std::vector<ObjectBinding*>> values_by_;  // per object: the bindings of its parameters
    // Mirrors of the store's spaces, loaded at start.
    std::map<std::string, std::string, std::less<>> attributes_;  // "attr"
    std::map<std::string, std::string, std::less<>> seen_;        // "seen": acknowledged values
    std::map<std::string, std::string, std::less<>> lw_seen_;     // "lwseen": the same for lightweight
};

}  // namespace cwmp::dm
