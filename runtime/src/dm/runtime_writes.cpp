// The agent's own writes of runtime-bound values and rows (results,
// ConnectionRequestURL, factory defaults): no access check, committed lazily
// (a poll repeats what a power cut undoes).
#include "cwmp/dm/engine.h"
#include "cwmp/store/store.h"
#include "runtime_store.h"
#include "walker.h"

namespace cwmp::dm {
using namespace detail;

Outcome Engine::set_runtime(std::string_view name, std::string value) {
    Node node;
    if (Outcome r = resolve(name, node); !r) return r;
    if (node.kind != Node::Kind::Param || schema_.params[node.index].binding != Binding::Runtime)
        return Outcome::fail(Fault::InvalidParameterName, std::string(name) + ": not a runtime parameter");
    // An unchanged value costs no write (the flash) and moves no revision.
    if (const std::string* stored = runtime_->find(node.name); stored != nullptr && *stored == value) return {};
    const RuntimeStore::Scope staging(*runtime_);
    runtime_->put(node.name, std::move(value));
    store::Store::Batch batch;
    try {
        commit_model(batch);
    } catch (const store::StoreError& e) {
        return store_failure(node.name, e, false);  // the agent's own write: its caller logs (dm::Own, once)
    }
    return {};
}

Outcome Engine::set_runtime_default(std::string_view name, std::string value) {
    Node node;
    if (Outcome r = resolve(name, node); !r) return r;
    if (node.kind != Node::Kind::Param || schema_.params[node.index].binding != Binding::Runtime)
        return Outcome::fail(Fault::InvalidParameterName, std::string(name) + ": not a runtime parameter");
    if (check(schema_.params[node.index], value) != Fault::None)
        return Outcome::fail(Fault::InvalidParameterValue, std::string(name) + ": value not allowed: " + value);
    if (std::optional<std::string> why = guarded_out(node.name, value))
        return Outcome::fail(Fault::InvalidParameterValue, std::string(name) + ": " + *why);
    if (runtime_->find(node.name) != nullptr) return {};
    return set_runtime(node.name, std::move(value));
}

Outcome Engine::write_runtime(const RuntimeResults& results) {
    // The new rows are staged before the values are resolved: names in
    // them resolve.
    const RuntimeStore::Scope staging(*runtime_);
    for (const auto& [table, n] : results.tables) {
        Node node;
        if (Outcome r = resolve(table, node); !r) return r;
        if (node.kind != Node::Kind::Table || schema_.objects[node.index].binding != Binding::Runtime)
            return Outcome::fail(Fault::InvalidParameterName, table + ": not a runtime table");
        runtime_->forget_under(node.name);
        std::vector<std::uint32_t> rows;
        for (std::uint32_t i = 1; i <= n; ++i) rows.push_back(i);
        // Results rows restart at 1 each run (the table is the run's output).
        runtime_->put_counter(node.name, n);
        runtime_->put_rows(node.name, rows);
    }
    std::vector<std::pair<std::string, std::string>> set;
    std::vector<NameFault> skipped;
    for (const auto& [name, value] : results.values) {
        Node node;
        Outcome r = resolve(name, node);
        if (r && (node.kind != Node::Kind::Param || schema_.params[node.index].binding != Binding::Runtime))
            r = Outcome::fail(Fault::InvalidParameterName, name + ": not a runtime parameter");
        if (!r) {  // a result the profile left out: skipped, named in the outcome
            skipped.push_back({name, r.code, r.message});
            continue;
        }
        runtime_->put(node.name, value);
        set.emplace_back(node.name, value);
    }
    store::Store::Batch batch;
    try {
        commit_model(batch);
    } catch (const store::StoreError& e) {
        return store_failure(names_of(set, [](const auto& v) { return v.first; }), e, false);  // as set_runtime
    }
    return {Fault::None, {}, std::move(skipped)};
}

std::optional<std::string> Engine::guarded_out(std::string_view name, std::string_view value) const {
    for (const auto& [owner, g] : guards_)
        if (std::optional<std::string> why = g(name, value)) return why;
    return std::nullopt;
}

Outcome Engine::add_runtime_row(std::string_view table, std::uint32_t& number) {
    Node node;
    if (Outcome r = resolve(table, node); !r) return r;
    const Object& o = schema_.objects[node.index];
    if (node.kind != Node::Kind::Table || o.binding != Binding::Runtime)
        return Outcome::fail(Fault::InvalidParameterName, std::string(table) + ": not a runtime table");
    std::vector<std::uint32_t> rows = runtime_->rows(node.name);
    number = runtime_->next_number(node.name, rows);
    if (number == 0) return Outcome::fail(Fault::ResourcesExceeded, "instance numbers exhausted");
    rows.push_back(number);
    const RuntimeStore::Scope staging(*runtime_);
    runtime_->put_counter(node.name, number);
    runtime_->put_rows(node.name, rows);
    store::Store::Batch batch;
    try {
        commit_model(batch);
    } catch (const store::StoreError& e) {
        return store_failure("a new row of " + node.name, e, false);  // as set_runtime
    }
    return {};
}

}  // namespace cwmp::dm
