// The parameter RPCs: GetRPCMethods, Get/SetParameterValues,
// GetParameterNames, Get/SetParameterAttributes.
#include "args.h"
#include "call.h"
#include "cwmp/rpc/cpe.h"

namespace cwmp::rpc {
namespace {

constexpr std::size_t kMaxNames = 1'000'000;  // the reader's element limit bounds it first
// A response larger than this is refused with 9004 as it grows (a request
// naming "Device." a thousand times must not exhaust the device's memory).
constexpr std::size_t kMaxResponse = 32 * 1024 * 1024;

void check_size(const Call& c) {
    if (c.out.size() > kMaxResponse)
        throw RpcError(Fault::ResourcesExceeded,
                       "the response would be larger than " + std::to_string(kMaxResponse) + " bytes");
}

std::vector<std::string> names_arg(const soap::Element& request) {
    std::vector<std::string> names;
    for (const soap::Element* e : array_arg(request, "ParameterNames", "string", kMaxNames)) {
        if (!e->children.empty()) throw RpcError(Fault::InvalidArguments, "ParameterNames: a name must be text");
        if (utf8_chars(e->text) > kNameChars)
            throw RpcError(Fault::InvalidArguments, "ParameterNames: a name longer than 256 characters");
        names.push_back(e->text);
    }
    return names;
}

// The local part of an xsi:type ("xsd:unsignedInt" -> "unsignedInt").
std::string_view local_type(std::string_view qname) {
    const std::size_t colon = qname.find(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

}  // namespace

dm::Outcome get_rpc_methods(Call& c) {
    const auto methods = Cpe::methods(c.ns);
    c.out.open_rpc("GetRPCMethodsResponse");
    c.out.open_array("MethodList", "xsd:string", methods.size());
    for (std::string_view m : methods) c.out.text("string", m);
    c.out.close("MethodList");
    c.out.close_rpc("GetRPCMethodsResponse");
    return {};
}

dm::Outcome get_parameter_names(Call& c) {
    const std::string& path = text_arg(c.request, "ParameterPath", kNameChars);
    const bool next_level = bool_arg(c.request, "NextLevel");
    c.out.open_rpc("GetParameterNamesResponse");
    const std::size_t mark = c.out.open_array_deferred("ParameterList", "cwmp:ParameterInfoStruct");
    std::size_t count = 0;
    dm::Engine::Namer shown(c.engine);  // InstanceMode
    dm::Outcome r = c.engine.get_names(path, next_level, [&](std::string_view name, bool writable) {
        c.out.open("ParameterInfoStruct");
        c.out.text("Name", shown(name));
        c.out.text("Writable", writable ? "1" : "0");
        c.out.close("ParameterInfoStruct");
        if (++count % 256 == 0) check_size(c);
    });
    if (!r) return r;
    c.out.close("ParameterList");
    c.out.close_rpc("GetParameterNamesResponse");
    c.out.set_array_count(mark, count);
    return {};
}

dm::Outcome get_parameter_values(Call& c) {
    const std::vector<std::string> names = names_arg(c.request);
    c.out.open_rpc("GetParameterValuesResponse");
    const std::size_t mark = c.out.open_array_deferred("ParameterList", "cwmp:ParameterValueStruct");
    std::size_t count = 0;
    dm::Engine::Namer shown(c.engine);  // InstanceMode
    dm::Outcome r = c.engine.get_values(names, [&](std::string_view name, const dm::Param& p, std::string_view value) {
        c.out.parameter_value_model_name(shown(name), dm::wire_type(p), value);
        if (++count % 256 == 0) check_size(c);
    });
    if (!r) return r;
    c.out.close("ParameterList");
    c.out.close_rpc("GetParameterValuesResponse");
    c.out.set_array_count(mark, count);
    return {};
}

dm::Outcome set_parameter_values(Call& c) {
    std::vector<dm::Engine::NameValue> values;
    for (const soap::Element* e : array_arg(c.request, "ParameterList", "ParameterValueStruct", kMaxNames)) {
        const soap::Element& value = arg(*e, "Value");
        if (!value.children.empty()) throw RpcError(Fault::InvalidArguments, "Value: must be text");
        values.push_back({text_arg(*e, "Name", kNameChars), value.text, std::string(local_type(value.xsi_type))});
    }
    const std::string& key = text_arg(c.request, "ParameterKey", kParameterKeyChars);
    if (dm::Outcome r = c.engine.set_values(values, key); !r) return r;
    c.out.open_rpc("SetParameterValuesResponse");
    c.out.number("Status", 0);  // applied and committed; nothing waits for a reboot
    c.out.close_rpc("SetParameterValuesResponse");
    return {};
}

dm::Outcome get_parameter_attributes(Call& c) {
    const std::vector<std::string> names = names_arg(c.request);
    c.out.open_rpc("GetParameterAttributesResponse");
    const std::size_t mark = c.out.open_array_deferred("ParameterList", "cwmp:ParameterAttributeStruct");
    std::size_t count = 0;
    dm::Engine::Namer shown(c.engine);  // InstanceMode
    dm::Outcome r = c.engine.get_attributes(names, [&](std::string_view name, const dm::Attributes& a) {
        c.out.open("ParameterAttributeStruct");
        c.out.text("Name", shown(name));
        c.out.number("Notification", a.notification);
        c.out.open_array("AccessList", "xsd:string", a.access_list.size());
        for (const std::string& entry : a.access_list) c.out.text("string", entry);
        c.out.close("AccessList");
        c.out.close("ParameterAttributeStruct");
        if (++count % 256 == 0) check_size(c);
    });
    if (!r) return r;
    c.out.close("ParameterList");
    c.out.close_rpc("GetParameterAttributesResponse");
    c.out.set_array_count(mark, count);
    return {};
}

dm::Outcome set_parameter_attributes(Call& c) {
    std::vector<dm::AttributeChange> changes;
    for (const soap::Element* e :
         array_arg(c.request, "ParameterList", "SetParameterAttributesStruct", kMaxNames)) {
        dm::AttributeChange change;
        change.name = text_arg(*e, "Name", kNameChars);
        const bool notification_change = bool_arg(*e, "NotificationChange");
        const std::int32_t notification = int_arg(*e, "Notification");
        if (notification < 0 || notification > 6)
            throw RpcError(Fault::InvalidArguments, "Notification: must be 0 to 6");
        if (notification_change) change.notification = static_cast<unsigned>(notification);
        const bool access_change = bool_arg(*e, "AccessListChange");
        std::vector<std::string> access;
        for (const soap::Element* s : array_arg(*e, "AccessList", "string", 64)) {
            if (!s->children.empty() || s->text.size() > 64)
                throw RpcError(Fault::InvalidArguments, "AccessList: bad entry");
            access.push_back(s->text);
        }
        if (access_change) change.access_list = std::move(access);
        changes.push_back(std::move(change));
    }
    if (dm::Outcome r = c.engine.set_attributes(changes); !r) return r;
    c.out.open_rpc("SetParameterAttributesResponse");
    c.out.close_rpc("SetParameterAttributesResponse");
    return {};
}

}  // namespace cwmp::rpc
