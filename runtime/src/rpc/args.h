// Reading an RPC's arguments: a missing, repeated or malformed argument is
// 9003 Invalid arguments, thrown as RpcError and answered as a fault.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/fault.h"
#include "cwmp/soap/reader.h"

namespace cwmp::rpc {

// A fault meant by a handler, thrown (a dm::Outcome without details).
class RpcError : public std::runtime_error {
public:
    RpcError(Fault code, const std::string& message) : std::runtime_error(message), code_(code) {}
    Fault code() const noexcept { return code_; }

private:
    Fault code_;
};

// cwmp-1-2.xsd CommandKeyType: string(32).
inline constexpr std::size_t kCommandKeyChars = 32;
inline constexpr std::size_t kParameterKeyChars = 32;
inline constexpr std::size_t kNameChars = 256;  // parameter and object names: string(256) in cwmp-1-x.xsd

// Characters (not bytes) of UTF-8 text: how cwmp-1-x.xsd counts string(N).
std::size_t utf8_chars(std::string_view s);

// The one child element `name` of `parent`.
const soap::Element& arg(const soap::Element& parent, std::string_view name);
// Its text, at most `max_chars` characters (UTF-8) long.
const std::string& text_arg(const soap::Element& parent, std::string_view name, std::size_t max_chars);
std::uint32_t unsigned_arg(const soap::Element& parent, std::string_view name);
std::int32_t int_arg(const soap::Element& parent, std::string_view name);
bool bool_arg(const soap::Element& parent, std::string_view name);
// The items of an array argument (`item` elements), at most `max_items`.
std::vector<const soap::Element*> array_arg(const soap::Element& parent, std::string_view name,
                                            std::string_view item, std::size_t max_items);

}  // namespace cwmp::rpc
