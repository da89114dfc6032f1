// Parameter and object paths as an ACS writes them: full names, partial
// paths ending in '.', instance numbers, and CWMP 1.4 alias-based addressing
// ("Device.IP.Interface.[wan].Enable") where the session enables it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cwmp::dm {

struct InstanceKey {
    std::uint32_t number = 0;  // 0 when the key is an alias
    std::string alias;         // without the brackets
};

struct ParsedPath {
    std::string template_path;      // instance segments as "{i}": a dispatch-table key
    std::vector<InstanceKey> keys;  // one per "{i}", outermost first
    bool partial = false;           // ends in '.', or is empty (the root)
};

// Whether `alias` may name an instance ("[alias]", TR-069 3.6.1).
bool valid_alias(std::string_view alias);

// nullopt for a path that is not syntactically a TR-069 name (an ACS gets
// 9005 Invalid parameter name for it); `error` says why.
std::optional<ParsedPath> parse_path(std::string_view path, bool alias_addressing,
                                     std::string* error = nullptr);

}  // namespace cwmp::dm
