#include "typed.h"

#include "net.h"

namespace cwmp::diag {

std::string text_of(Time t) { return t == Time{} ? std::string("0001-01-01T00:00:00Z") : net::datetime(t); }

std::string row_path(std::string_view path, std::size_t row) {
    constexpr std::string_view kRow = "{i}";
    const std::size_t at = path.rfind(kRow);
    if (at == std::string_view::npos) return std::string(path);
    return std::string(path.substr(0, at)) + std::to_string(row) + std::string(path.substr(at + kRow.size()));
}

}  // namespace cwmp::diag
