#include "cwmp/dm/engine.h"

#include <algorithm>
#include <charconv>
#include <exception>
#include <set>

#include "cwmp/dm/value.h"
#include "cwmp/store/store.h"
#include "cwmp/util/log.h"
#include "binding.h"
#include "runtime_store.h"
#include "walker.h"

namespace cwmp::dm {
using namespace detail;
namespace {

// The xsi:type an ACS gave a value: absent, the parameter's own type, or
// string (some ACSes send every value as xsd:string; the value itself is
// still checked against the parameter's type).
bool type_accepted(Type t, std::string_view xsi) {
    if (xsi.empty() || xsi == "string" || xsi == type_name(t)) return true;
    return t == Type::Base64 && xsi == "base64Binary";
}

}  // namespace

// An instance added for an AddObject that then failed: removed again
// through its table's binding, and a removal that fails is logged (the
// board keeps a stray row).
void Engine::remove_again(const Object& o, std::span<const std::uint32_t> numbers) {
    if (binding(o).remove(o, Instance{numbers}) != Fault::None && log_ != nullptr)
        log_->error("AddObject: " + instance_path(o.path, numbers) + " failed and could not be removed again");
}

std::string Engine::with_cause(std::string message) {
    if (std::string cause = board_->take_error(); !cause.empty()) message += " (" + cause + ")";
    return message;
}

void Engine::set_log(const util::Log* log) noexcept {
    log_ = log;
    board_->set_log(log);
}

// A table the board does not list is the runtime's (its rows in the store).
ObjectBinding& Engine::binding(const Object& o) const noexcept {
    return *rows_by_[static_cast<std::size_t>(&o - schema_.objects.data())];
}

ObjectBinding& Engine::binding(const Param& p) const noexcept {
    return p.binding == Binding::Runtime ? static_cast<ObjectBinding&>(*runtime_) : *board_;
}

std::string Engine::stored_parameter_key() const {
    const std::string* key = runtime_->find(schema_.paths.management_server.parameter_key);
    return key == nullptr ? std::string() : *key;
}

Outcome Engine::store_failure(std::string_view what, const store::StoreError& e, bool log) const {
    std::string message = "cannot store " + std::string(what) + ": " + e.what();
    if (log && log_ != nullptr) log_->error(message);
    return Outcome::fail(Fault::InternalError, std::move(message));
}

Engine::Engine(const Schema& schema, Context& ctx, store::Store& store)
    : schema_(schema), store_(store),
      children_(schema.objects.size()), counted_(schema.params.size(), Object::kNone) {
    for (std::size_t i = 0; i < schema.objects.size(); ++i) {
        const Object& o = schema.objects[i];
        if (o.parent != Object::kNone) children_[o.parent].push_back(static_cast<std::uint16_t>(i));
    }
    leaves_.reserve(schema.params.size());
    for (const Param& p : schema.params) leaves_.push_back(leaf(p.path));
    // A NumberOfEntries parameter counts the table child whose num_entries names it.
    for (std::size_t i = 0; i < schema.params.size(); ++i) {
        const Param& p = schema.params[i];
        if (p.binding != Binding::Count) continue;
        for (std::uint16_t c : children_[p.object])
            if (schema.objects[c].multi && schema.objects[c].num_entries == leaf(p.path))
                counted_[i] = c;
    }
    board_ = std::make_unique<BoardObjects>(ctx);
    runtime_ = std::make_unique<RuntimeStore>(schema, store);
    // Each object's binding, and the bindings its parameters' values come
    // from (Count parameters: the engine's), the board's first.
    rows_by_.resize(schema.objects.size());
    values_by_.resize(schema.objects.size());
    for (std::size_t i = 0; i < schema.objects.size(); ++i) {
        const Object& o = schema.objects[i];
        rows_by_[i] = o.binding == Binding::Runtime || o.instances == nullptr
                          ? static_cast<ObjectBinding*>(runtime_.get()) : board_.get();
        for (ObjectBinding* b : {static_cast<ObjectBinding*>(board_.get()), static_cast<ObjectBinding*>(runtime_.get())})
            for (std::uint16_t k : o.params)
                if (schema.params[k].binding != Binding::Count && &binding(schema.params[k]) == b) {
                    values_by_[i].push_back(b);
                    break;
                }
    }
    auto load = [&](std::string_view space, auto& mirror) {
        for (auto& [k, v] : store_.all(space)) mirror.emplace(k, std::move(v));
    };
    // The subtrees value-change tracking walks without stored attributes.
    forced_below_.assign(schema.objects.size(), false);
    for (const Param& p : schema.params) {
        if (p.forced_inform() && p.path.find("{i}") == std::string_view::npos)
            forced_inform_.push_back(static_cast<std::uint16_t>(&p - schema.params.data()));
        if (default_notification(p) == 0) continue;
        if (p.path.find("{i}") == std::string_view::npos) {  // always there: no walk needed to find it
            forced_static_.push_back(static_cast<std::uint16_t>(&p - schema.params.data()));
            continue;
        }
        any_forced_ = true;
        for (std::uint16_t o = p.object; o != Object::kNone && !forced_below_[o]; o = schema.objects[o].parent)
            forced_below_[o] = true;
    }
    load(kAttrs, attributes_);
    load(kSeen, seen_);
    load(kLwSeen, lw_seen_);
}

Engine::~Engine() = default;

Fault Engine::check(const Param& p, std::string_view value) { return validate(p, value, &patterns_); }

// --- instances -------------------------------------------------------------

Fault Engine::instances(std::uint16_t object, std::span<const std::uint32_t> parent,
                        std::vector<std::uint32_t>& out) {
    const Object& o = schema_.objects[object];
    out.clear();
    return binding(o).instances(o, Instance{parent}, out);
}

Fault Engine::find_instance(std::uint16_t object, std::span<const std::uint32_t> parent, const InstanceKey& key,
                            std::uint32_t& number) {
    std::vector<std::uint32_t> rows;
    if (Fault f = instances(object, parent, rows); f != Fault::None) return f;
    if (key.alias.empty()) {
        number = key.number;
        return std::find(rows.begin(), rows.end(), key.number) != rows.end() ? Fault::None
                                                                             : Fault::InvalidParameterName;
    }
    // Alias-based addressing: the instance whose Alias parameter is the key.
    const Object& o = schema_.objects[object];
    std::string alias_name(o.path);
    alias_name += "Alias";
    const Param* alias = find_param(schema_, alias_name);
    if (alias == nullptr) return Fault::InvalidParameterName;
    std::vector<std::uint32_t> numbers(parent.begin(), parent.end());
    numbers.push_back(0);
    std::vector<std::string> values;
    for (std::uint32_t n : rows) {
        numbers.back() = n;
        if (Fault f = read_bound(binding(*alias), o, numbers, values, std::span(&alias->slot, 1)); f != Fault::None)
            return f;
        if (values[alias->slot] == key.alias) {
            number = n;
            return Fault::None;
        }
    }
    return Fault::InvalidParameterName;
}

// --- values ----------------------------------------------------------------

std::string Engine::count_of(std::uint16_t param, std::span<const std::uint32_t> numbers,
                             std::span<const KnownRows> known) {
    const std::uint16_t table = counted_[param];
    if (table == Object::kNone) return "0";
    for (const KnownRows& k : known)
        if (k.object == table) return std::to_string(k.rows.size());
    std::vector<std::uint32_t> rows;
    if (instances(table, numbers, rows) != Fault::None) return "0";
    return std::to_string(rows.size());
}

Fault Engine::read_bound(ObjectBinding& b, const Object& o, std::span<const std::uint32_t> numbers,
                         std::vector<std::string>& values, std::span<const std::uint16_t> wanted) {
    values.resize(o.params.size());
    for (std::string& v : values) v.clear();  // reads append; capacity is kept for the next instance
    return b.read(o, Instance{numbers}, values, wanted);
}

Fault Engine::read_object(std::uint16_t object, std::span<const std::uint32_t> numbers,
                          std::vector<std::string>& values, std::span<const KnownRows> known) {
    const Object& o = schema_.objects[object];
    values.resize(o.params.size());
    for (std::string& v : values) v.clear();  // reads append; capacity is kept for the next instance
    for (ObjectBinding* b : values_by_[object])
        if (Fault f = b->read(o, Instance{numbers}, values, {}); f != Fault::None) return f;
    for (std::size_t k = 0; k < o.params.size(); ++k)
        if (schema_.params[o.params[k]].binding == Binding::Count) values[k] = count_of(o.params[k], numbers, known);
    return Fault::None;
}

// --- resolving names -------------------------------------------------------

Outcome Engine::resolve(std::string_view path, Node& node) {
    auto invalid = [&](std::string why) {
        return Outcome::fail(Fault::InvalidParameterName, std::string(path) + ": " + why);
    };
    std::string why;
    std::optional<ParsedPath> parsed = parse_path(path, alias_addressing_, &why);
    if (!parsed) return invalid(why);
    std::string tmpl = std::move(parsed->template_path);
    if (tmpl.empty()) {
        if (schema_.objects.empty()) return invalid("no data model");
        tmpl = schema_.objects.front().path;
        for (const Object& o : schema_.objects)
            if (o.parent == Object::kNone) tmpl = o.path;
    }
    if (!parsed->partial) {
        const Param* p = find_param(schema_, tmpl);
        if (p == nullptr) return invalid("no such parameter");
        node.kind = Node::Kind::Param;
        node.index = static_cast<std::uint16_t>(p - schema_.params.data());
    } else if (const Object* o = find_object(schema_, tmpl)) {
        node.kind = Node::Kind::Object;
        node.index = static_cast<std::uint16_t>(o - schema_.objects.data());
    } else if (const Object* t = find_object(schema_, tmpl + std::string(kInstance)); t && t->multi) {
        node.kind = Node::Kind::Table;
        node.index = static_cast<std::uint16_t>(t - schema_.objects.data());
    } else {
        return invalid("no such object");
    }
    // Replace each "{i}" with the instance it names, checking it exists.
    node.numbers.clear();
    node.name.clear();
    std::size_t pos = 0;
    for (const InstanceKey& key : parsed->keys) {
        const std::size_t at = tmpl.find(kInstance, pos);
        const Object* o = find_object(schema_, std::string_view(tmpl).substr(0, at + kInstance.size()));
        if (o == nullptr) return invalid("no such object");
        node.name.append(tmpl, pos, at - pos);
        std::uint32_t number = 0;
        Fault f = find_instance(static_cast<std::uint16_t>(o - schema_.objects.data()), node.numbers, key, number);
        if (f == Fault::InvalidParameterName) return invalid("no such instance");
        if (f != Fault::None) return Outcome::fail(f, with_cause(std::string(path) + ": cannot list instances"));
        node.numbers.push_back(number);
        append_number(node.name, number);
        node.name.push_back('.');
        pos = at + kInstance.size();
    }
    node.name.append(tmpl, pos);
    return {};
}

// --- GetParameterNames -----------------------------------------------------

Outcome Engine::get_names(std::string_view path, bool next_level, const NameVisitor& visit) {
    Node node;
    if (Outcome r = resolve(path, node); !r) return r;
    if (node.kind == Node::Kind::Param) {
        if (next_level)
            return Outcome::fail(Fault::InvalidArguments,
                                 std::string(path) + ": NextLevel true needs a partial path");
        visit(node.name, schema_.params[node.index].access != Access::ReadOnly);
        return {};
    }
    if (next_level && path.empty()) {  // the root object alone
        visit(node.name, false);
        return {};
    }
    struct Names {
        Engine& e;
        const NameVisitor& visit;
        bool next_level;
        const std::string& top;
        std::string name;
        bool object(const Object&, std::string_view n, bool writable) {
            if (!next_level) {
                visit(n, writable);
                return true;
            }
            if (n.size() == top.size()) return true;  // the node itself: list what is below
            visit(n, writable);
            return false;
        }
        Fault params(std::uint16_t index, const std::vector<std::uint32_t>&, std::string_view prefix,
                     std::span<const KnownRows>) {
            if (next_level && prefix.size() != top.size()) return Fault::None;
            for (std::uint16_t p : e.schema_.objects[index].params) {
                const Param& param = e.schema_.params[p];
                name.assign(prefix);
                name += leaf(param.path);
                visit(name, param.access != Access::ReadOnly);
            }
            return Fault::None;
        }
    } names{*this, visit, next_level, node.name, {}};
    Fault f = Walker(*this).node(node, names);
    if (f != Fault::None) return Outcome::fail(f, with_cause(std::string(path) + ": cannot list instances"));
    return {};
}

// --- GetParameterValues ----------------------------------------------------

Outcome Engine::get_values(std::span<const std::string> names, const ValueVisitor& visit) {
    std::vector<Node> nodes(names.size());
    // A parameter of the instance the name before it resolved to (a sorted
    // batch is mostly such runs) is found by its leaf alone: the instance
    // path was checked already.
    const Node* run = nullptr;
    std::string tmpl;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string& name = names[i];
        if (run != nullptr) {
            const std::string_view prefix =
                std::string_view(run->name).substr(0, run->name.size() - leaves_[run->index].size());
            const std::string_view leaf_name = std::string_view(name).substr(std::min(prefix.size(), name.size()));
            if (name.size() > prefix.size() && name.starts_with(prefix) &&
                leaf_name.find('.') == std::string_view::npos) {
                const Object& o = schema_.objects[schema_.params[run->index].object];
                tmpl.assign(o.path);
                tmpl += leaf_name;
                if (const Param* p = find_param(schema_, tmpl); p != nullptr) {
                    nodes[i].kind = Node::Kind::Param;
                    nodes[i].index = static_cast<std::uint16_t>(p - schema_.params.data());
                    nodes[i].numbers = run->numbers;
                    nodes[i].name = name;
                    continue;
                }
            }
        }
        if (Outcome r = resolve(name, nodes[i]); !r) return r;
        run = nodes[i].kind == Node::Kind::Param ? &nodes[i] : nullptr;
    }
    struct Values {
        Engine& e;
        const ValueVisitor& visit;
        std::vector<std::string> values;
        std::string name;
        bool object(const Object&, std::string_view, bool) { return true; }
        Fault params(std::uint16_t index, const std::vector<std::uint32_t>& numbers, std::string_view prefix,
                     std::span<const KnownRows> tables) {
            const Object& o = e.schema_.objects[index];
            if (o.params.empty()) return Fault::None;
            if (Fault f = e.read_object(index, numbers, values, tables); f != Fault::None) return f;
            name.assign(prefix);
            for (std::size_t k = 0; k < o.params.size(); ++k) {
                const Param& p = e.schema_.params[o.params[k]];
                name.resize(prefix.size());
                name += e.leaves_[o.params[k]];
                visit(name, p, p.hidden() ? std::string_view() : std::string_view(values[k]));
            }
            return Fault::None;
        }
    } v{*this, visit, {}, {}};
    Walker w(*this);
    // Named parameters of one object instance share one read of it within
    // the call, wherever they stand in the list (an Inform's names come from
    // several objects, interleaved; a batch of 32 is a few instances), and
    // the read asks for their slots alone.
    struct Read {
        ObjectBinding* by;
        std::uint16_t object;
        const std::vector<std::uint32_t>* numbers;  // a node's, which outlives the call's reads
        std::vector<std::uint16_t> wanted;
        std::vector<std::string> values;
        Fault fault = Fault::None;
    };
    std::vector<Read> reads;
    std::vector<std::size_t> read_of(nodes.size(), SIZE_MAX);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node& n = nodes[i];
        if (n.kind != Node::Kind::Param) continue;
        const Param& p = schema_.params[n.index];
        if (p.binding == Binding::Count) continue;
        ObjectBinding& b = binding(p);
        auto r = std::find_if(reads.begin(), reads.end(), [&](const Read& x) {
            return x.by == &b && x.object == p.object && *x.numbers == n.numbers;
        });
        if (r == reads.end()) r = reads.insert(reads.end(), Read{&b, p.object, &n.numbers, {}, {}});
        r->wanted.push_back(p.slot);
        read_of[i] = static_cast<std::size_t>(r - reads.begin());
    }
    for (Read& r : reads) r.fault = read_bound(*r.by, schema_.objects[r.object], *r.numbers, r.values, r.wanted);
    std::string value;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        Node& n = nodes[i];
        Fault f = Fault::None;
        if (n.kind == Node::Kind::Param) {
            const Param& p = schema_.params[n.index];
            if (read_of[i] == SIZE_MAX) {
                f = value_of(n, v.values, value);  // a count
            } else {
                const Read& r = reads[read_of[i]];
                f = r.fault;
                if (f == Fault::None) value = r.values[p.slot];
            }
            if (f == Fault::None) visit(n.name, p, p.hidden() ? std::string_view() : std::string_view(value));
        } else {
            f = w.node(n, v);
        }
        if (f != Fault::None) return Outcome::fail(f, with_cause(names[i] + ": cannot read"));
    }
    return {};
}

Fault Engine::value_of(const Node& n, std::vector<std::string>& values, std::string& value) {
    const Param& p = schema_.params[n.index];
    if (p.binding == Binding::Count) {
        value = count_of(n.index, n.numbers);
        return Fault::None;
    }
    if (Fault f = read_bound(binding(p), schema_.objects[p.object], n.numbers, values, std::span(&p.slot, 1));
        f != Fault::None)
        return f;
    value = std::move(values[p.slot]);
    return Fault::None;
}

Outcome Engine::get_value(std::string_view name, std::string& value) {
    Node n;
    if (Outcome r = resolve(name, n); !r) return r;
    if (n.kind != Node::Kind::Param) return Outcome::fail(Fault::InvalidParameterName, std::string(name) + ": not a parameter");
    std::vector<std::string> values;
    if (Fault f = value_of(n, values, value); f != Fault::None)
        return Outcome::fail(f, with_cause(std::string(name) + ": cannot read"));
    return {};
}

namespace {

// The values of one object instance a SetParameterValues writes through one
// binding, and what they were before, to put back if a later write fails.
struct InstanceWrite {
    ObjectBinding* binding;
    std::uint16_t object;
    std::vector<std::uint32_t> numbers;
    std::vector<SlotValue> values;
    std::vector<std::size_t> request;  // indexes into the request, for faults
    std::vector<std::string> before;
};

}  // namespace

// Whether the runtime-bound parameter `name` holds `on` (false when the
// profile lacks it).
bool Engine::runtime_flag(std::string_view name, std::string_view on) {
    std::string v;  // an optional feature the profile lacks has no name: off
    return !name.empty() && get_value(name, v) && (v == on || (on == "true" && v == "1"));
}

// --- InstanceMode ------------------------------------------------------------

Engine::Namer::Namer(Engine& e, bool inform)
    : e_(e), on_((inform || e.alias_addressing_) && e.runtime_flag(e.schema_.paths.management_server.instance_mode, "InstanceAlias")) {}

std::string_view Engine::Namer::operator()(std::string_view name) {
    if (!on_) return name;
    out_.clear();
    std::string concrete, tmpl;  // the prefix with numbers, and as a template
    std::vector<std::uint32_t> numbers;
    std::size_t pos = 0;
    while (pos < name.size()) {
        const std::size_t dot = name.find('.', pos);
        const std::string_view seg = name.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
        std::uint32_t n = 0;
        const auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), n);
        if (dot != std::string_view::npos && !seg.empty() && ec == std::errc{} && end == seg.data() + seg.size()) {
            tmpl += kInstance;
            concrete.append(seg).push_back('.');
            numbers.push_back(n);
            auto it = shown_.find(concrete);
            if (it == shown_.end()) {
                std::string shown = out_;
                shown.append(seg).push_back('.');
                const Object* o = find_object(e_.schema_, tmpl);
                const Param* alias = o && o->multi ? find_param(e_.schema_, tmpl + "Alias") : nullptr;
                std::vector<std::string> values;
                if (alias != nullptr &&
                    e_.read_bound(e_.binding(*alias), e_.schema_.objects[alias->object], numbers, values,
                                  std::span(&alias->slot, 1)) == Fault::None &&
                    valid_alias(values[alias->slot]))
                    shown = out_ + "[" + values[alias->slot] + "].";
                it = shown_.emplace(concrete, std::move(shown)).first;
            }
            out_ = it->second;
        } else {
            concrete.append(seg);
            tmpl.append(seg);
            out_.append(seg);
            if (dot != std::string_view::npos) {
                concrete.push_back('.');
                tmpl.push_back('.');
                out_.push_back('.');
            }
        }
        if (dot == std::string_view::npos) break;
        pos = dot + 1;
    }
    return out_;
}

// --- SetParameterValues ------------------------------------------------------

Outcome Engine::set_values(std::span<const NameValue> values, std::string_view parameter_key, Origin origin) {
    std::string kept;
    if (origin == Origin::Local) {  // ParameterKey is the ACS's
        kept = stored_parameter_key();
        parameter_key = kept;
    }
    std::vector<std::string> created;  // instances auto-created for this request
    Outcome r = auto_create(values, created);
    if (r) r = apply_values(values, parameter_key, origin);
    if (!r && !created.empty()) {
        // All or nothing: what was created for the request goes again, and
        // ParameterKey keeps its old value.
        const std::string key = stored_parameter_key();
        for (auto it = created.rbegin(); it != created.rend(); ++it)
            if (Outcome gone = delete_object(*it, key); !gone && log_ != nullptr)
                log_->error("SetParameterValues: " + *it + " was created for it and could not be deleted again: " +
                            gone.message);
    }
    return r;
}

// AutoCreateInstances (TR-069 A.3.2.1): each "[alias]" of a name that no
// instance has yet becomes a new instance of its table with that Alias,
// outermost first.  Only with alias addressing and AutoCreateInstances
// true; otherwise the name stays unresolved (9005).
Outcome Engine::auto_create(std::span<const NameValue> values, std::vector<std::string>& created) {
    if (!alias_addressing_ || !runtime_flag(schema_.paths.management_server.auto_create_instances, "true")) return {};
    const std::string key = stored_parameter_key();  // unchanged until the request succeeds
    for (const NameValue& nv : values) {
        std::size_t open = 0;
        while ((open = nv.name.find(".[", open)) != std::string::npos) {
            const std::size_t close = nv.name.find("].", open);
            if (close == std::string::npos) break;
            const std::string instance = nv.name.substr(0, close + 2);  // "Device.X.[a]."
            open = close;
            Node node;
            if (resolve(instance, node)) continue;  // exists
            Node table;
            if (!resolve(nv.name.substr(0, nv.name.rfind('.', close) + 1), table) || table.kind != Node::Kind::Table)
                break;  // the name is wrong before this alias: 9005 as usual
            std::uint32_t number = 0;
            if (Outcome r = add_object(instance, key, number); !r) {
                // A full table or a store failure is the request's fault; a table
                // the ACS may not add to, or a bad alias, leaves the name unknown (9005).
                if (r.code == Fault::ResourcesExceeded || r.code == Fault::InternalError) return r;
                break;
            }
            created.push_back(table.name + std::to_string(number) + ".");
        }
    }
    return {};
}

Outcome Engine::apply_values(std::span<const NameValue> values, std::string_view parameter_key, Origin origin) {
    const RuntimeStore::Scope staging(*runtime_);
    std::vector<NameFault> faults;
    std::set<std::string, std::less<>> seen_names;
    std::vector<Node> nodes(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const NameValue& nv = values[i];
        Outcome r = resolve(nv.name, nodes[i]);
        if (r && nodes[i].kind != Node::Kind::Param)
            r = Outcome::fail(Fault::InvalidParameterName, nv.name + ": not a parameter");
        if (!r) {
            faults.push_back({nv.name, r.code, r.message});
            continue;
        }
        if (!seen_names.insert(nodes[i].name).second)
            return Outcome::fail(Fault::InvalidArguments, nv.name + ": given more than once");
        const Param& p = schema_.params[nodes[i].index];
        if (p.access == Access::ReadOnly || p.binding == Binding::Count) {
            faults.push_back({nv.name, Fault::NonWritableParameter, nv.name + " is read-only"});
        } else if (!type_accepted(p.type, nv.type)) {
            faults.push_back({nv.name, Fault::InvalidParameterType, nv.name + " is of type " +
                                                                         std::string(type_name(p.type))});
        } else if (Fault f = check(p, nv.value); f != Fault::None) {
            // The type the ACS declared is acceptable (9006 is for one that is
            // not), so a value that does not parse is a bad value: 9007.
            faults.push_back({nv.name, Fault::InvalidParameterValue,
                              f == Fault::InvalidParameterType
                                  ? nv.name + ": not a valid " + std::string(type_name(p.type)) + (p.list() ? " list" : "")
                                  : nv.name + ": value outside what the parameter allows"});
        } else if (std::optional<std::string> why; p.binding == Binding::Runtime &&
                                                   (why = guarded_out(nodes[i].name, nv.value))) {
            faults.push_back({nv.name, Fault::InvalidParameterValue, nv.name + ": " + *why});
        }
    }
    if (!faults.empty()) {
        Outcome r{Fault::InvalidArguments, {}, std::move(faults)};
        for (const NameFault& f : r.details)
            if (f.code != Fault::InvalidParameterName && f.code != Fault::InvalidParameterType &&
                f.code != Fault::InvalidParameterValue && f.code != Fault::NonWritableParameter)
                return Outcome::fail(f.code, f.message);  // not a per-parameter fault
        return r;
    }

    // Group the values by object instance and binding, in the request's order.
    std::vector<InstanceWrite> writes;
    store::Store::Batch batch;
    std::vector<std::pair<std::string, std::string>> runtime;  // for the listeners
    for (std::size_t i = 0; i < values.size(); ++i) {
        const Node& n = nodes[i];
        const Param& p = schema_.params[n.index];
        if (p.binding == Binding::Runtime) runtime.emplace_back(n.name, values[i].value);
        ObjectBinding* b = &binding(p);
        auto it = std::find_if(writes.begin(), writes.end(), [&](const InstanceWrite& w) {
            return w.binding == b && w.object == p.object && w.numbers == n.numbers;
        });
        if (it == writes.end()) it = writes.insert(writes.end(), InstanceWrite{b, p.object, n.numbers, {}, {}, {}});
        it->values.push_back({p.slot, values[i].value});
        it->request.push_back(i);
    }

    // Each instance's values at once, through its binding (the board writes
    // them, the runtime store stages them for the commit below); on a
    // failure the instances already written get their old values back.
    auto roll_back = [&](std::size_t done) {
        for (std::size_t k = done; k-- > 0;) {
            InstanceWrite& w = writes[k];
            std::vector<SlotValue> old;
            for (const SlotValue& sv : w.values) old.push_back({sv.slot, w.before[sv.slot]});
            const Object& o = schema_.objects[w.object];
            if (w.binding->write(o, Instance{w.numbers}, old) != Fault::None && log_ != nullptr)
                log_->error("SetParameterValues: " + instance_path(o.path, w.numbers) +
                            " could not be given its old values back after a later write failed");
        }
    };
    for (std::size_t k = 0; k < writes.size(); ++k) {
        InstanceWrite& w = writes[k];
        const Object& o = schema_.objects[w.object];
        Fault f = read_bound(*w.binding, o, w.numbers, w.before);
        if (f == Fault::None) f = w.binding->write(o, Instance{w.numbers}, w.values);
        if (f == Fault::None) continue;
        roll_back(k);
        if (f < Fault::InvalidParameterName || f > Fault::NonWritableParameter)
            return Outcome::fail(f, with_cause("the device refused the change of " +
                                               names_of(w.request, [&](std::size_t i) { return values[i].name; })));
        Outcome r{Fault::InvalidArguments, {}, {}};
        for (std::size_t i : w.request) r.details.push_back({values[i].name, f, {}});
        return r;
    }

    // The runtime store's values, the ParameterKey and the acknowledged
    // values of tracked parameters (the ACS's own changes are not
    // notified): one commit.
    runtime_->put(std::string(schema_.paths.management_server.parameter_key), std::string(parameter_key));
    const bool acknowledged = origin == Origin::Acs;
    // Lightweight baselines only where a lightweight attribute is set.
    auto lightweight = [&](const std::string& name) {
        auto it = attributes_.find(name);
        return it != attributes_.end() && lightweight_notification(parse_attributes(it->second).notification) > 0;
    };
    if (acknowledged)
        for (std::size_t i = 0; i < values.size(); ++i) {
            batch.put(std::string(kSeen), nodes[i].name, values[i].value);
            if (lightweight(nodes[i].name)) batch.put(std::string(kLwSeen), nodes[i].name, values[i].value);
        }
    try {
        commit_model(batch, store::Durability::Durable);  // before the response says it is applied
    } catch (const store::StoreError& e) {
        roll_back(writes.size());
        return store_failure(names_of(values, [](const NameValue& nv) { return nv.name; }), e);
    }
    if (acknowledged)
        for (std::size_t i = 0; i < values.size(); ++i) {
            seen_[nodes[i].name] = values[i].value;
            if (lightweight(nodes[i].name)) lw_seen_[nodes[i].name] = values[i].value;
        }
    if (listener_)
        for (auto& [name, value] : runtime) listener_(name, value);
    if (batch_listener_ && !runtime.empty()) batch_listener_(runtime);
    return {};
}

// --- AddObject / DeleteObject ----------------------------------------------

Outcome Engine::add_object(std::string_view table, std::string_view parameter_key, std::uint32_t& number,
                           Origin origin) {
    const RuntimeStore::Scope staging(*runtime_);
    std::string kept;
    if (origin == Origin::Local) {  // ParameterKey is the ACS's
        kept = stored_parameter_key();
        parameter_key = kept;
    }
    auto invalid = [&](std::string why) {
        return Outcome::fail(Fault::InvalidParameterName, std::string(table) + ": " + why);
    };
    if (table.empty() || table.back() != '.') return invalid("not a partial path");
    // "Device.X.Table.[alias]." asks for a new instance with that Alias.
    std::string path(table);
    std::string new_alias;
    if (alias_addressing_ && path.size() > 3 && path[path.size() - 2] == ']') {
        const std::size_t open = path.rfind('[');
        if (open == std::string::npos || open == 0 || path[open - 1] != '.') return invalid("bad alias");
        new_alias = path.substr(open + 1, path.size() - open - 3);
        if (new_alias.empty()) return invalid("empty alias");
        path.resize(open);
    }
    Node node;
    if (Outcome r = resolve(path, node); !r) return r;
    if (node.kind != Node::Kind::Table) return invalid("not a table");
    const Object& o = schema_.objects[node.index];
    if (!can_create(o)) return invalid("the ACS may not add instances to this table");
    std::vector<std::uint32_t> rows;
    if (Fault f = instances(node.index, node.numbers, rows); f != Fault::None)
        return Outcome::fail(f, with_cause(std::string(table) + ": cannot list instances"));
    if (o.max_entries != UINT32_MAX && rows.size() >= o.max_entries)
        return Outcome::fail(Fault::ResourcesExceeded,
                             std::string(table) + ": at most " + std::to_string(o.max_entries) + " instances");
    std::string alias_name(o.path);
    alias_name += "Alias";
    const Param* alias = find_param(schema_, alias_name);
    if (!new_alias.empty()) {
        if (alias == nullptr) return invalid("the table has no Alias");
        if (Fault f = check(*alias, new_alias); f != Fault::None)
            return Outcome::fail(Fault::InvalidArguments, std::string(table) + ": bad alias");
        std::uint32_t existing = 0;
        if (find_instance(node.index, node.numbers, InstanceKey{0, new_alias}, existing) == Fault::None)
            return Outcome::fail(Fault::InvalidArguments, std::string(table) + ": alias in use");
    }

    number = runtime_->next_number(node.name, rows);
    if (number == 0) return Outcome::fail(Fault::ResourcesExceeded, "instance numbers exhausted");
    const std::uint32_t proposed = number;

    // The table's binding makes the row: the board at once, the runtime
    // store staged for the commit below.
    if (Fault f = binding(o).add(o, Instance{node.numbers}, number); f != Fault::None)
        return Outcome::fail(f, with_cause(std::string(table) + ": the device refused"));
    std::vector<std::uint32_t> numbers = node.numbers;
    numbers.push_back(number);
    const std::string prefix = instance_path(o.path, numbers);
    runtime_->put_counter(node.name, std::max(proposed, number));
    runtime_->put(std::string(schema_.paths.management_server.parameter_key), std::string(parameter_key));
    // TR-069 3.6.1: a CPE-assigned Alias starts with "cpe-"; the runtime
    // assigns one where it keeps the Alias (a board assigns its own).
    std::string alias_value = new_alias;
    if (alias != nullptr && alias_value.empty() && alias->binding == Binding::Runtime)
        alias_value = "cpe-" + std::to_string(number);
    if (alias != nullptr && !alias_value.empty()) {
        const SlotValue sv{alias->slot, alias_value};
        if (Fault f = binding(*alias).write(o, Instance{numbers}, std::span(&sv, 1)); f != Fault::None) {
            const std::string why = with_cause(std::string(table) + ": cannot set the alias");
            remove_again(o, numbers);
            return Outcome::fail(f, why);
        }
    }
    store::Store::Batch batch;
    try {
        commit_model(batch, store::Durability::Durable);  // before the response
    } catch (const store::StoreError& e) {
        remove_again(o, numbers);
        return store_failure("the new instance " + prefix, e);
    }
    return {};
}

Outcome Engine::delete_object(std::string_view instance, std::string_view parameter_key, Origin origin) {
    const RuntimeStore::Scope staging(*runtime_);
    std::string kept;
    if (origin == Origin::Local) {  // ParameterKey is the ACS's
        kept = stored_parameter_key();
        parameter_key = kept;
    }
    auto invalid = [&](std::string why) {
        return Outcome::fail(Fault::InvalidParameterName, std::string(instance) + ": " + why);
    };
    Node node;
    if (Outcome r = resolve(instance, node); !r) return r;
    if (node.kind != Node::Kind::Object || !schema_.objects[node.index].multi)
        return invalid("not an object instance");
    const Object& o = schema_.objects[node.index];
    if (!can_delete(o)) return invalid("the ACS may not delete instances of this table");
    std::span<const std::uint32_t> parent(node.numbers.data(), node.numbers.size() - 1);
    std::vector<std::uint32_t> rows;
    if (Fault f = instances(node.index, parent, rows); f != Fault::None)
        return Outcome::fail(f, with_cause(std::string(instance) + ": cannot list instances"));
    if (rows.size() <= o.min_entries)
        return Outcome::fail(Fault::RequestDenied,
                             std::string(instance) + ": the table needs at least " + std::to_string(o.min_entries));
    if (Fault f = binding(o).remove(o, Instance{node.numbers}); f != Fault::None)
        return Outcome::fail(f, with_cause(std::string(instance) + ": the device refused"));
    // Everything the engine keeps under the instance goes with it.
    store::Store::Batch batch;
    runtime_->forget_under(node.name);
    auto erase_under = [&](std::string_view space, auto& mirror) {
        std::vector<std::string> keys = keys_under(mirror, node.name);
        for (const std::string& k : keys) batch.erase(std::string(space), k);
        return keys;
    };
    const auto gone_attrs = erase_under(kAttrs, attributes_);
    const auto gone_seen = erase_under(kSeen, seen_);
    runtime_->put(std::string(schema_.paths.management_server.parameter_key), std::string(parameter_key));
    try {
        commit_model(batch, store::Durability::Durable);
    } catch (const store::StoreError& e) {  // the platform has deleted: reported all the same
        return store_failure("the deletion of " + node.name, e);
    }
    for (const auto& k : gone_attrs) attributes_.erase(k);
    for (const auto& k : gone_seen) seen_.erase(k);
    return {};
}

// A failure leaves what the runtime store staged to the operation's
// RuntimeStore::Scope (it may still undo a row through the same binding).
void Engine::commit_model(store::Store::Batch& batch, store::Durability durability) {
    runtime_->stage(batch);
    store_.commit(batch, durability);
    runtime_->applied();
    ++revision_;
}


void Engine::reset() {
    store::Store::Batch batch;
    auto clear = [&](std::string_view space, auto& mirror) {
        for (const auto& [k, v] : mirror) batch.erase(std::string(space), k);
    };
    const RuntimeStore::Scope staging(*runtime_);
    runtime_->forget_all();
    clear(kAttrs, attributes_);
    clear(kSeen, seen_);
    clear(kLwSeen, lw_seen_);
    commit_model(batch, store::Durability::Durable);  // a factory reset is not undone by a power cut
    attributes_.clear();
    seen_.clear();
    lw_seen_.clear();
}

}  // namespace cwmp::dm
