#include "args.h"

#include "cwmp/dm/value.h"

namespace cwmp::rpc {
namespace {

[[noreturn]] void invalid(std::string_view name, std::string_view why) {
    throw RpcError(Fault::InvalidArguments, std::string(name) + ": " + std::string(why));
}

}  // namespace

std::size_t utf8_chars(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

const soap::Element& arg(const soap::Element& parent, std::string_view name) {
    const soap::Element* found = nullptr;
    for (const soap::Element& c : parent.children) {
        if (c.name != name) continue;
        if (found != nullptr) invalid(name, "given more than once");
        found = &c;
    }
    if (found == nullptr) invalid(name, "missing");
    return *found;
}

const std::string& text_arg(const soap::Element& parent, std::string_view name, std::size_t max_chars) {
    const soap::Element& e = arg(parent, name);
    if (!e.children.empty()) invalid(name, "must be text");
    if (utf8_chars(e.text) > max_chars) invalid(name, "longer than " + std::to_string(max_chars) + " characters");
    return e.text;
}

std::uint32_t unsigned_arg(const soap::Element& parent, std::string_view name) {
    std::uint32_t v = 0;
    if (dm::parse(text_arg(parent, name, 32), v) != Fault::None) invalid(name, "not an unsignedInt");
    return v;
}

std::int32_t int_arg(const soap::Element& parent, std::string_view name) {
    std::int32_t v = 0;
    if (dm::parse(text_arg(parent, name, 32), v) != Fault::None) invalid(name, "not an int");
    return v;
}

bool bool_arg(const soap::Element& parent, std::string_view name) {
    bool v = false;
    if (dm::parse(text_arg(parent, name, 8), v) != Fault::None) invalid(name, "not a boolean");
    return v;
}

std::vector<const soap::Element*> array_arg(const soap::Element& parent, std::string_view name,
                                            std::string_view item, std::size_t max_items) {
    const soap::Element& a = arg(parent, name);
    std::vector<const soap::Element*> items;
    for (const soap::Element& c : a.children) {
        if (c.name != item) invalid(name, "holds " + c.name + " where " + std::string(item) + " belongs");
        if (items.size() == max_items) invalid(name, "more than " + std::to_string(max_items) + " items");
        items.push_back(&c);
    }
    return items;
}

}  // namespace cwmp::rpc
