#include "cwmp/soap/namespace.h"

#include <array>

namespace cwmp::soap {
namespace {

constexpr std::array<Namespace, 3> kAll{Namespace::Cwmp10, Namespace::Cwmp11, Namespace::Cwmp12};

}  // namespace

std::string_view namespace_uri(Namespace ns) noexcept {
    switch (ns) {
    case Namespace::Cwmp10: return "urn:dslforum-org:cwmp-1-0";
    case Namespace::Cwmp11: return "urn:dslforum-org:cwmp-1-1";
    case Namespace::Cwmp12: return "urn:dslforum-org:cwmp-1-2";
    }
    return "urn:dslforum-org:cwmp-1-2";
}

std::optional<Namespace> namespace_of(std::string_view uri) noexcept {
    for (Namespace ns : kAll)
        if (namespace_uri(ns) == uri) return ns;
    return std::nullopt;
}

}  // namespace cwmp::soap
