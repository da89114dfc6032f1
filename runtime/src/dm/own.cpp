#include "cwmp/dm/own.h"

#include "cwmp/util/log.h"

namespace cwmp::dm {
namespace {

// "cannot <what> <name>: <cause>", the name said once (the engine's
// messages mostly name it already); `note` follows the name.
std::string describe(std::string_view what, std::string_view name, const Outcome& r, std::string_view note = {}) {
    std::string cause = r.message.empty() ? std::string(fault_string(r.code)) : r.message;
    const std::string named = std::string(name) + ": ";
    if (cause.starts_with(named)) cause.erase(0, named.size());
    const std::string head = "cannot " + std::string(what) + " " + std::string(name);
    if (cause.starts_with(head)) cause.erase(0, head.size() + (cause.size() > head.size() + 1 ? 2 : 0));
    return head + std::string(note) + ": " + cause;
}

[[noreturn]] void startup_error(std::string_view what, std::string_view name, const Outcome& r) {
    throw StartupError(describe(what, name, r, " (needed to start)"));
}

}  // namespace

void require_default(Engine& e, std::string_view name, std::string value) {
    if (name.empty()) return;
    if (Outcome r = e.set_runtime_default(name, std::move(value)); !r) startup_error("default", name, r);
}

void require_value(Engine& e, std::string_view name, std::string value) {
    if (name.empty()) return;
    if (Outcome r = e.set_runtime(name, std::move(value)); !r) startup_error("store", name, r);
}

bool Own::check(std::string_view what, std::string_view name, const Outcome& r) {
    if (r && failing_.empty()) return true;  // the common case, on every poll: nothing to build or forget
    const std::string key = std::string(what) + " " + std::string(name) + "\n";
    if (r) {
        // Forget every failure logged for this name (its message may differ).
        for (auto it = failing_.lower_bound(key); it != failing_.end() && it->starts_with(key);)
            it = failing_.erase(it);
        return true;
    }
    std::string text = describe(what, name, r);
    if (failing_.insert(key + text).second) log_.warning(text);
    return false;
}

bool Own::set(std::string_view name, std::string value) {
    if (name.empty()) return false;
    return check("store", name, e_.set_runtime(name, std::move(value)));
}

bool Own::read(std::string_view name, std::string& out) {
    if (name.empty()) return false;
    std::string v;
    if (!check("read", name, e_.get_value(name, v))) return false;
    out = std::move(v);
    return true;
}

std::string Own::text(std::string_view name) {
    std::string v;
    read(name, v);
    return v;
}

bool Own::write(const Engine::RuntimeResults& results, std::string_view what) {
    Outcome r = e_.write_runtime(results);
    if (r && !r.details.empty()) {
        r.code = r.details.front().code;
        r.message = r.details.front().message;
        if (r.details.size() > 1) r.message += " (and " + std::to_string(r.details.size() - 1) + " more)";
    }
    return check("store the results of", what, r);
}

bool Own::names(std::string_view path, bool next_level, const Engine::NameVisitor& visit) {
    return check("list", path, e_.get_names(path, next_level, visit));
}

bool Own::values(std::span<const std::string> names, const Engine::ValueVisitor& visit) {
    return check("read", names.empty() ? std::string_view() : std::string_view(names.front()),
                 e_.get_values(names, visit));
}

}  // namespace cwmp::dm
