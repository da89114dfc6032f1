#include "cwmp/dm/types.h"

namespace cwmp::dm {

std::string_view type_name(Type t) noexcept {
    switch (t) {
    case Type::String: return "string";
    case Type::UnsignedInt: return "unsignedInt";
    case Type::Int: return "int";
    case Type::UnsignedLong: return "unsignedLong";
    case Type::Long: return "long";
    case Type::Boolean: return "boolean";
    case Type::DateTime: return "dateTime";
    case Type::Base64: return "base64";
    case Type::HexBinary: return "hexBinary";
    case Type::Decimal: return "decimal";
    }
    return "string";
}

}  // namespace cwmp::dm
