// Parameter paths and alias keys as an ACS writes them, with and without
// CWMP 1.4 alias-based addressing.  Invariants: one key per "{i}" in the
// template, an alias key only with alias addressing, numbers > 0, and the
// template looked up in the generated tables without harm.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/dm/path.h"
#include "cwmp/dm/schema.h"
#include "fuzz.h"

namespace cwmp::gen {
extern const cwmp::dm::Schema schema;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view path(reinterpret_cast<const char*>(data), size);
    for (const bool alias : {false, true}) {
        std::string error;
        const auto p = cwmp::dm::parse_path(path, alias, &error);
        if (!p) {
            fuzz::check(!error.empty(), "a refused path without a reason", path);
            continue;
        }
        std::size_t slots = 0;
        for (std::size_t at = 0; (at = p->template_path.find("{i}", at)) != std::string::npos; at += 3) ++slots;
        fuzz::check(slots == p->keys.size(), "keys and {i} slots differ", path);
        for (const cwmp::dm::InstanceKey& k : p->keys) {
            fuzz::check(k.alias.empty() != (k.number == 0), "a key is both or neither number and alias", path);
            fuzz::check(alias || k.alias.empty(), "an alias key without alias addressing", path);
        }
        fuzz::check(p->partial == (p->template_path.empty() || p->template_path.back() == '.'),
                    "partial and the trailing dot disagree", path);
        if (p->partial) {
            (void)cwmp::dm::find_object(cwmp::gen::schema, p->template_path);
        } else {
            (void)cwmp::dm::find_param(cwmp::gen::schema, p->template_path);
        }
    }
    return 0;
}
