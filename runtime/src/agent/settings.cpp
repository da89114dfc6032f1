#include "cwmp/agent/settings.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "cwmp/dm/own.h"
#include "cwmp/dm/value.h"
#include "cwmp/util/log.h"

namespace cwmp::agent {

void read_settings(dm::Own& own, const util::Log& log, const dm::ModelPaths::ManagementServer& paths,
                   ManagementServerSettings& settings) {
    std::vector<std::string> names;
    // parsers[k] parses names[k]'s value into its member, which it sets only
    // when the whole value parses.
    std::vector<std::function<Fault(std::string_view)>> parsers;
    each_setting(paths, settings, [&](std::string_view path, auto& member) {
        if (path.empty()) return;  // an optional feature the profile lacks
        names.emplace_back(path);
        parsers.emplace_back([&member](std::string_view text) {
            std::remove_reference_t<decltype(member)> value{};
            const Fault f = dm::parse(text, value);
            if (f == Fault::None) member = std::move(value);
            return f;
        });
    });
    own.values(names, [&](std::string_view name, const dm::Param& p, std::string_view value) {
        const auto k = static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
        if (k == names.size()) return;  // not one asked for (cannot happen: each names a parameter)
        std::string hidden;
        if (dm::has(p.flags, dm::ParamFlag::Hidden)) {
            if (!own.read(name, hidden)) return;  // logged by Own
            value = hidden;
        }
        if (const Fault f = parsers[k](value); f != Fault::None)
            log.warning("cannot read " + std::string(name) + " as " + std::string(dm::type_name(p.type)) + ": " +
                        std::string(fault_string(f)));
    });
}

}  // namespace cwmp::agent
