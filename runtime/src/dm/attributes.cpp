// Parameter attributes (TR-069 A.3.2.4/A.3.2.5): Notification and
// AccessList per parameter, stored (space "attr") only where they differ
// from the model's default.
#include <map>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"
#include "cwmp/store/store.h"
#include "internal.h"
#include "walker.h"

namespace cwmp::dm {
using namespace detail;

namespace detail {

// Attributes are stored as "N" or "N;entry,entry".
Attributes parse_attributes(std::string_view s) {
    Attributes a;
    const std::size_t semi = s.find(';');
    std::uint32_t n = 0;
    if (parse(s.substr(0, semi), n) == Fault::None && n <= 6) a.notification = n;
    if (semi != std::string_view::npos)
        for (std::string_view e : split_list(s.substr(semi + 1))) a.access_list.emplace_back(e);
    return a;
}

std::string format_attributes(const Attributes& a) {
    std::string s = std::to_string(a.notification);
    if (!a.access_list.empty()) {
        s.push_back(';');
        format(s, a.access_list);
    }
    return s;
}

}  // namespace detail

unsigned Engine::default_notification(const Param& p) const {
    return p.notify == Notify::ForceEnabled || p.notify == Notify::ForceDefaultEnabled ? 2 : 0;
}

Attributes Engine::attributes_of(const Param& p, std::string_view name) const {
    auto it = attributes_.find(name);
    Attributes a = it == attributes_.end() ? Attributes{default_notification(p), {}} : parse_attributes(it->second);
    if (p.notify == Notify::ForceEnabled) a.notification = 2;
    return a;
}

Outcome Engine::get_attributes(std::span<const std::string> names, const AttributeVisitor& visit) {
    std::vector<Node> nodes(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        if (Outcome r = resolve(names[i], nodes[i]); !r) return r;
    auto each = [&](const std::string& name, const Param& p, const std::vector<std::uint32_t>&) {
        visit(name, attributes_of(p, name));
    };
    ParamNames v{schema_, each, std::string()};
    Walker w(*this);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].kind == Node::Kind::Param) {
            visit(nodes[i].name, attributes_of(schema_.params[nodes[i].index], nodes[i].name));
        } else if (Fault f = w.node(nodes[i], v); f != Fault::None) {
            return Outcome::fail(f, with_cause(names[i] + ": cannot list instances"));
        }
    }
    return {};
}

Outcome Engine::set_attributes(std::span<const AttributeChange> changes) {
    struct Update {
        Attributes attributes;
        bool is_default;
    };
    std::map<std::string, Update> updates;  // all applied together, or none
    for (const AttributeChange& c : changes) {
        Node node;
        if (Outcome r = resolve(c.name, node); !r) return r;
        if (c.notification && lightweight_notification(*c.notification) > 0 && !lightweight_supported_)
            return Outcome::fail(Fault::NotificationRequestRejected,
                                 c.name + ": lightweight notification is not supported");
        if (c.access_list)
            for (const std::string& entry : *c.access_list)
                if (entry.size() > 64) return Outcome::fail(Fault::InvalidArguments, "AccessList entry too long");
        const bool named = node.kind == Node::Kind::Param;
        Outcome refused;
        auto apply = [&](const std::string& name, const Param& p, const std::vector<std::uint32_t>&) {
            if (!refused) return;
            auto pending = updates.find(name);
            Attributes a = pending != updates.end() ? pending->second.attributes : attributes_of(p, name);
            if (c.notification && *c.notification != a.notification) {
                // canDeny: a parameter that changes often; an active
                // lightweight notification would flood the ACS the same way.
                if ((*c.notification == 2 || lightweight_notification(*c.notification) == 2) &&
                    p.notify == Notify::CanDeny) {
                    refused = Outcome::fail(Fault::NotificationRequestRejected,
                                            name + " cannot have active notification");
                    return;
                }
                if (p.notify != Notify::ForceEnabled) {
                    a.notification = *c.notification;
                } else if (named) {
                    refused = Outcome::fail(Fault::NotificationRequestRejected,
                                            name + " always has active notification");
                    return;
                }
            }
            if (c.access_list) a.access_list = *c.access_list;
            const bool is_default = a.notification == default_notification(p) && a.access_list.empty();
            updates[name] = Update{std::move(a), is_default};
        };
        ParamNames v{schema_, apply, std::string()};
        if (named) {
            apply(node.name, schema_.params[node.index], node.numbers);
        } else if (Fault f = Walker(*this).node(node, v); f != Fault::None) {
            return Outcome::fail(f, with_cause(c.name + ": cannot list instances"));
        }
        if (!refused) return refused;
    }
    store::Store::Batch batch;
    std::vector<std::pair<std::string, std::string>> baselines, lw_baselines;
    for (const auto& [name, u] : updates) {
        if (u.is_default) {
            batch.erase(std::string(kAttrs), name);
        } else {
            batch.put(std::string(kAttrs), name, format_attributes(u.attributes));
        }
        // A change counts from now: the value when notification is turned on
        // is what the next one is compared with (TR-069 A.3.2.4).
        // Each mechanism has its own baseline.
        std::string value;
        const bool inform = inform_notification(u.attributes.notification) > 0 && !seen_.contains(name);
        const bool lw = lightweight_notification(u.attributes.notification) > 0 && !lw_seen_.contains(name);
        if ((inform || lw) && get_value(name, value)) {
            if (inform) {
                batch.put(std::string(kSeen), name, value);
                baselines.emplace_back(name, value);
            }
            if (lw) {
                batch.put(std::string(kLwSeen), name, value);
                lw_baselines.emplace_back(name, value);
            }
        }
    }
    try {
        store_.commit(batch, store::Durability::Durable);  // before the response
    } catch (const store::StoreError& e) {
        return store_failure("the attributes of " + names_of(updates, [](const auto& u) { return u.first; }), e);
    }
    for (auto& [name, value] : baselines) seen_[name] = std::move(value);
    for (auto& [name, value] : lw_baselines) lw_seen_[name] = std::move(value);
    for (const auto& [name, u] : updates) {
        if (u.is_default) {
            attributes_.erase(name);
        } else {
            attributes_[name] = format_attributes(u.attributes);
        }
    }
    return {};
}

}  // namespace cwmp::dm
