// Value-change tracking: the values of parameters with a notification
// attribute (or a forced one) compared with the values last acknowledged,
// one baseline per mechanism (the Inform's, space "seen"; lightweight
// notifications', space "lwseen").
#include <map>

#include "cwmp/dm/engine.h"
#include "cwmp/store/store.h"
#include "binding.h"
#include "internal.h"
#include "walker.h"

namespace cwmp::dm {
using namespace detail;

std::vector<ValueChange> Engine::changes() {
    // Tracked: parameters with an Inform notification (1, 2, 4, 6), stored
    // or by the model's default (forceEnabled, forceDefaultEnabled).
    std::map<std::string, unsigned> tracked;
    for (const auto& [name, stored] : attributes_) {
        const unsigned n = inform_notification(parse_attributes(stored).notification);
        if (n > 0) tracked[name] = n;
    }
    for (std::uint16_t p : forced_static_) {
        const std::string_view name = schema_.params[p].path;
        if (!attributes_.contains(name)) tracked.emplace(name, 2);
    }
    if (any_forced_) {
        // Only the subtrees that hold such table parameters are walked.
        struct Forced {
            Engine& e;
            std::map<std::string, unsigned>& tracked;
            std::string name;
            bool object(const Object& o, std::string_view, bool) {
                return e.forced_below_[static_cast<std::size_t>(&o - e.schema_.objects.data())];
            }
            Fault params(std::uint16_t index, const std::vector<std::uint32_t>&, std::string_view prefix,
                         std::span<const KnownRows>) {
                for (std::uint16_t p : e.schema_.objects[index].params) {
                    if (e.default_notification(e.schema_.params[p]) == 0) continue;
                    name.assign(prefix);
                    name += e.leaves_[p];
                    if (!e.attributes_.contains(name)) tracked[name] = 2;
                }
                return Fault::None;
            }
        } v{*this, tracked, {}};
        Node root;
        // A table the board cannot list (BoardObjects logged why) leaves the
        // forced parameters found so far, which are compared; its cause is
        // not for the fault of a later request.
        if (resolve("", root) && Walker(*this).node(root, v) != Fault::None) board_->take_error();
    }
    return compare(tracked, seen_, kSeen);
}

std::vector<ValueChange> Engine::lightweight_changes() {
    // Only stored attributes: no model default is a lightweight one.
    std::map<std::string, unsigned> tracked;
    for (const auto& [name, stored] : attributes_) {
        const unsigned n = lightweight_notification(parse_attributes(stored).notification);
        if (n > 0) tracked[name] = n;
    }
    return compare(tracked, lw_seen_, kLwSeen);
}

void Engine::acknowledge_lightweight(std::span<const ValueChange> reported) {
    store::Store::Batch batch;
    for (const ValueChange& c : reported) batch.put(std::string(kLwSeen), c.name, c.value);
    store_.commit(batch);
    for (const ValueChange& c : reported) lw_seen_[c.name] = c.value;
}

std::vector<ValueChange> Engine::compare(const std::map<std::string, unsigned>& tracked,
                                         std::map<std::string, std::string, std::less<>>& seen,
                                         std::string_view space) {
    if (tracked.empty()) return {};
    // The current values in one call (one read per object instance); should
    // a name not resolve (an instance that went away), one by one, skipping it.
    std::map<std::string, std::string, std::less<>> current;
    std::vector<std::string> names;
    names.reserve(tracked.size());
    for (const auto& entry : tracked) names.push_back(entry.first);
    auto keep = [&](std::string_view n, const Param& p, std::string_view v) {
        std::string hidden;  // compared by its real value, as the ACS never sees it
        if (p.hidden() && get_value(n, hidden)) v = hidden;
        current.emplace(n, v);
    };
    if (!get_values(names, keep)) {
        current.clear();
        for (const std::string& name : names)
            if (!get_values(std::span(&name, 1), keep)) continue;  // gone: skipped below
    }
    std::vector<ValueChange> out;
    store::Store::Batch first_seen;
    for (const auto& [name, level] : tracked) {
        auto found = current.find(name);
        if (found == current.end()) continue;  // an instance that went away
        std::string value = std::move(found->second);
        auto it = seen.find(name);
        if (it == seen.end()) {
            first_seen.put(std::string(space), name, value);
            seen.emplace(name, value);
        } else if (it->second != value) {
            out.push_back({name, std::move(value), level});
        }
    }
    store_.commit(first_seen);
    return out;
}

void Engine::acknowledge(std::span<const ValueChange> reported) {
    store::Store::Batch batch;
    for (const ValueChange& c : reported) batch.put(std::string(kSeen), c.name, c.value);
    store_.commit(batch);
    for (const ValueChange& c : reported) seen_[c.name] = c.value;
}

}  // namespace cwmp::dm
