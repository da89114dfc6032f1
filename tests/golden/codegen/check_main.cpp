// Drives the gadget tables over platform_ok.cpp: reads, validates, writes.
#include <cstdio>
#include <memory>
#include <string>

#include "cwmp/platform_api.h"

namespace cwmp::platform {
std::unique_ptr<Board> make_gadget_board();
}

using namespace cwmp::dm;
using cwmp::Fault;

static int failures = 0;
#define EXPECT(cond)                                                     \
    do {                                                                 \
        if (!(cond)) {                                                   \
            std::printf("%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                  \
        }                                                                \
    } while (0)

static std::string get(Context& ctx, const char* path, std::vector<std::uint32_t> n = {}) {
    const Param* p = find_param(cwmp::gen::schema, path);
    std::string v;
    if (p == nullptr || get_value(cwmp::gen::schema, *p, ctx, Instance{n}, v) != Fault::None)
        return "<error>";
    return v;
}

int main() {
    const Schema& s = cwmp::gen::schema;
    auto board = cwmp::platform::make_gadget_board();
    Context ctx(*board);

    EXPECT(s.profile == "gadget");
    EXPECT(get(ctx, "Gadget.Name") == "gadget");
    EXPECT(get(ctx, "Gadget.Formats") == "SD,HD");
    EXPECT(get(ctx, "Gadget.Booted") == "2023-11-14T22:13:20Z");
    EXPECT(get(ctx, "Gadget.Mode") == "Off");
    EXPECT(get(ctx, "Gadget.Port.{i}.Bytes", {2}) == "2000");
    EXPECT(find_param(s, "Gadget.Nothing") == nullptr);

    const Param* mode = find_param(s, "Gadget.Mode");
    const Param* offset = find_param(s, "Gadget.Offset");
    const Param* note = find_param(s, "Gadget.Note");
    const Param* serial = find_param(s, "Gadget.Serial");
    const Param* formats = find_param(s, "Gadget.Formats");
    EXPECT(mode && offset && note && serial && formats);
    if (failures) return 1;
    // Constraints from the BBF facets.
    EXPECT(validate(*mode, "3D-Auto") == Fault::None);
    EXPECT(validate(*mode, "Gone") == Fault::InvalidParameterValue);  // deleted value
    EXPECT(validate(*offset, "-40") == Fault::None);
    EXPECT(validate(*offset, "-41") == Fault::InvalidParameterValue);
    EXPECT(validate(*offset, "3") == Fault::InvalidParameterValue);   // step 2
    EXPECT(validate(*offset, "x") == Fault::InvalidParameterType);
    EXPECT(validate(*serial, "AB1234") == Fault::None);
    EXPECT(validate(*serial, "ab1234") == Fault::InvalidParameterValue);
    EXPECT(validate(*formats, "SD,UHD") == Fault::None);
    EXPECT(validate(*formats, "SD,HD,UHD,SD,HD") == Fault::InvalidParameterValue);  // maxItems 4
    EXPECT(validate(*formats, "SD,4K") == Fault::InvalidParameterValue);
    // Bindings and defaults.
    EXPECT(note->binding == Binding::Runtime && note->has_default() && note->default_value == "hello");
    EXPECT(find_param(s, "Gadget.PortNumberOfEntries")->binding == Binding::Count);
    EXPECT(find_param(s, "Gadget.Name")->forced_inform());
    EXPECT(find_param(s, "Gadget.Port.{i}.Bytes")->notify == Notify::CanDeny);
    // Writes go to the platform, typed.
    EXPECT(set_value(s, *mode, ctx, Instance{}, "On") == Fault::None);
    EXPECT(get(ctx, "Gadget.Mode") == "On");
    EXPECT(set_value(s, *mode, ctx, Instance{}, "Sideways") == Fault::InvalidParameterValue);
    EXPECT(set_value(s, *offset, ctx, Instance{}, "-12") == Fault::None);
    EXPECT(get(ctx, "Gadget.Offset") == "-12");
    EXPECT(set_value(s, *serial, ctx, Instance{}, "AB0000") == Fault::NonWritableParameter);
    // Tables.
    const Object* port = find_object(s, "Gadget.Port.{i}.");
    EXPECT(port && port->multi && port->access == ObjectAccess::CreateDelete && port->max_entries == 4);
    std::vector<std::uint32_t> rows;
    EXPECT(port->instances(ctx, Instance{}, rows) == Fault::None && rows.size() == 2);
    std::uint32_t n = 0;
    EXPECT(port->add(ctx, Instance{}, n) == Fault::None && n == 3);
    std::vector<std::uint32_t> three{3};
    EXPECT(port->remove(ctx, Instance{three}) == Fault::None);
    EXPECT(port->remove(ctx, Instance{three}) == Fault::InvalidParameterName);
    std::printf("%s\n", failures ? "FAILED" : "gadget tables OK");
    return failures ? 1 : 0;
}
