// The cwmp XML namespaces, which the reader recognises in ACS messages and
// the writer puts in CPE messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cwmp::soap {

// The cwmp namespace a session uses: urn:dslforum-org:cwmp-1-0, -1-1 or -1-2
// (the last covers CWMP 1.2 to 1.4).
enum class Namespace : std::uint8_t { Cwmp10, Cwmp11, Cwmp12 };

std::string_view namespace_uri(Namespace ns) noexcept;
// The namespace whose URI is `uri`; nullopt for any other.
std::optional<Namespace> namespace_of(std::string_view uri) noexcept;

}  // namespace cwmp::soap
