// The generated enumerations from the wire form the simulated world speaks
// ("16:9", "1920x1080p/50Hz"): the bindings' translation of a value the
// world names into the model's type.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/fault.h"

namespace cwmp::sim {

// The world names only values the model has; one it does not is a bug of
// the world, reported with the value (the agent answers 9002 with it).
template <class E>
E enum_of(std::string_view wire) {
    E value{};
    if (parse(wire, value) != Fault::None)
        throw std::logic_error("the simulated world's '" + std::string(wire) + "' is no value of the model");
    return value;
}

template <class E, class List>
std::vector<E> enums_of(const List& wires) {
    std::vector<E> out;
    for (std::string_view w : wires) out.push_back(enum_of<E>(w));
    return out;
}

}  // namespace cwmp::sim
