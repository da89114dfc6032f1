// AddObject and DeleteObject.
#include "args.h"
#include "call.h"

namespace cwmp::rpc {
dm::Outcome add_object(Call& c) {
    const std::string& name = text_arg(c.request, "ObjectName", kNameChars);
    const std::string& key = text_arg(c.request, "ParameterKey", kParameterKeyChars);
    std::uint32_t number = 0;
    if (dm::Outcome r = c.engine.add_object(name, key, number); !r) return r;
    c.out.open_rpc("AddObjectResponse");
    c.out.number("InstanceNumber", number);
    c.out.number("Status", 0);
    c.out.close_rpc("AddObjectResponse");
    return {};
}

dm::Outcome delete_object(Call& c) {
    const std::string& name = text_arg(c.request, "ObjectName", kNameChars);
    const std::string& key = text_arg(c.request, "ParameterKey", kParameterKeyChars);
    if (dm::Outcome r = c.engine.delete_object(name, key); !r) return r;
    c.out.open_rpc("DeleteObjectResponse");
    c.out.number("Status", 0);
    c.out.close_rpc("DeleteObjectResponse");
    return {};
}

}  // namespace cwmp::rpc
