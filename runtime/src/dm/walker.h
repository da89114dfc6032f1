// The engine's resolved names and its one walker over instances (private
// to runtime/src/dm): GetParameterNames, GetParameterValues, attributes and
// value-change tracking all walk with it, so they agree on what exists.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "cwmp/dm/engine.h"
#include "internal.h"

namespace cwmp::dm {

// A resolved name: a parameter, an object instance (or single object), or
// a table ("Device.IP.Interface.", `index` being its "{i}." object).
struct Engine::Node {
    enum class Kind : std::uint8_t { Param, Object, Table } kind = Kind::Object;
    std::uint16_t index = 0;
    std::vector<std::uint32_t> numbers;  // of the instance (Table: of its parent)
    std::string name;                    // concrete, with instance numbers
};

// --- walking subtrees ------------------------------------------------------

// Depth-first over the instances below a node.  `Visit` has
//   bool object(const Object&, std::string_view name, bool writable)  (false: skip below)
//   Fault params(std::uint16_t object, const std::vector<std::uint32_t>& numbers, std::string_view prefix,
//                std::span<const KnownRows> child_tables)
// The rows of an instance's child tables are listed once, before its
// parameters, so that NumberOfEntries values and the walk below share them.
class Engine::Walker {
public:
    explicit Walker(Engine& e) : e_(e) {}

    template <class Visit>
    Fault node(const Node& n, Visit& v) {
        numbers_ = n.numbers;
        std::string prefix = n.name;
        if (n.kind == Node::Kind::Table) {
            std::vector<std::uint32_t> rows;
            if (Fault f = e_.instances(n.index, numbers_, rows); f != Fault::None) return f;
            return table(n.index, prefix, rows, v, 0);
        }
        return object(n.index, prefix, v, 0);
    }

private:
    template <class Visit>
    Fault object(std::uint16_t index, std::string& prefix, Visit& v, std::size_t depth) {
        const Object& o = e_.schema_.objects[index];
        const bool instance = o.multi;
        if (!v.object(o, prefix, instance && detail::can_delete(o))) return Fault::None;
        const std::size_t base = prefix.size();
        if (pool_.size() <= depth) pool_.resize(depth + 1);  // a deque: outer frames' slots stay put
        std::vector<KnownRows>& tables = pool_[depth];
        tables.clear();
        for (std::uint16_t c : e_.children_[index]) {
            const Object& child = e_.schema_.objects[c];
            if (!child.multi) continue;
            tables.push_back({c, {}});
            if (Fault f = e_.instances(c, numbers_, tables.back().rows); f != Fault::None) return f;
        }
        if (Fault f = v.params(index, numbers_, prefix, std::span<const KnownRows>(tables)); f != Fault::None)
            return f;
        std::size_t next_table = 0;
        for (std::uint16_t c : e_.children_[index]) {
            const Object& child = e_.schema_.objects[c];
            std::string_view rel = child.path.substr(o.path.size());
            if (child.multi) rel.remove_suffix(detail::kInstance.size());
            prefix.append(rel);
            Fault f = child.multi ? table(c, prefix, pool_[depth][next_table++].rows, v, depth + 1)
                                  : object(c, prefix, v, depth + 1);
            prefix.resize(base);
            if (f != Fault::None) return f;
        }
        return Fault::None;
    }

    template <class Visit>
    Fault table(std::uint16_t index, std::string& prefix, const std::vector<std::uint32_t>& rows, Visit& v,
                std::size_t depth) {
        const Object& o = e_.schema_.objects[index];
        if (!v.object(o, prefix, detail::can_create(o))) return Fault::None;
        const std::size_t base = prefix.size();
        for (std::uint32_t n : rows) {
            detail::append_number(prefix, n);
            prefix.push_back('.');
            numbers_.push_back(n);
            Fault f = object(index, prefix, v, depth);
            numbers_.pop_back();
            prefix.resize(base);
            if (f != Fault::None) return f;
        }
        return Fault::None;
    }

    Engine& e_;
    std::vector<std::uint32_t> numbers_;
    std::deque<std::vector<KnownRows>> pool_;  // per depth: the rows of the child tables
};

namespace detail {

// Visits parameters only, without reading values.
template <class F>
struct ParamNames {
    const Schema& schema;
    F f;
    std::string name;
    bool object(const Object&, std::string_view, bool) { return true; }
    Fault params(std::uint16_t index, const std::vector<std::uint32_t>& numbers, std::string_view prefix,
                 std::span<const KnownRows>) {
        for (std::uint16_t p : schema.objects[index].params) {
            name.assign(prefix);
            name += leaf(schema.params[p].path);
            f(name, schema.params[p], numbers);
        }
        return Fault::None;
    }
};
template <class F>
ParamNames(const Schema&, F, std::string) -> ParamNames<F>;

}  // namespace detail

}  // namespace cwmp::dm
