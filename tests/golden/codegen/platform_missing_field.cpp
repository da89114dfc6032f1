// A complete board for the gadget profile: every platform function defined.
#include <map>
#include <memory>
#include <string>

#include "cwmp/platform_api.h"

namespace cwmp::platform {

namespace {
struct GadgetBoard : Board {
    model::Gadget::ModeValue mode = model::Gadget::ModeValue::Off;
    std::int32_t offset = 0;
    std::map<std::uint32_t, bool> ports{{1, true}, {2, false}};
    std::uint32_t next = 3;
};
GadgetBoard& board(Context& ctx) { return ctx.board_as<GadgetBoard>(); }
}  // namespace

model::Gadget read(Context& ctx, const Instance&, Tag<model::Gadget>) {
    using F = model::Gadget::FormatsValue;
    return {
        .Booted = dm::DateTime{1700000000},
        .Formats = std::vector<F>{F::SD, F::HD},
        .Mode = board(ctx).mode,
        .Name = "gadget",
        .Offset = board(ctx).offset,

    };
}

Fault write(Context& ctx, const Instance&, const model::Gadget::Changes& c) {
    if (c.Mode) board(ctx).mode = *c.Mode;
    if (c.Offset) board(ctx).offset = *c.Offset;
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<model::Port>) {
    std::vector<std::uint32_t> out;
    for (const auto& [n, enabled] : board(ctx).ports) out.push_back(n);
    return out;
}

model::Port read(Context& ctx, const Instance& in, Tag<model::Port>) {
    const std::uint32_t n = in.numbers.back();
    return {.Bytes = std::uint64_t{1000} * n, .Enable = board(ctx).ports.at(n)};
}

Fault write(Context& ctx, const Instance& in, const model::Port::Changes& c) {
    if (c.Enable) board(ctx).ports.at(in.numbers.back()) = *c.Enable;
    return Fault::None;
}

Fault add(Context& ctx, const Instance&, Tag<model::Port>, std::uint32_t& number) {
    number = board(ctx).next++;
    board(ctx).ports[number] = false;
    return Fault::None;
}

Fault remove(Context& ctx, const Instance& in, Tag<model::Port>) {
    return board(ctx).ports.erase(in.numbers.back()) ? Fault::None : Fault::InvalidParameterName;
}

// Lets check_main.cpp make a board without seeing its type.
std::unique_ptr<Board> make_gadget_board() { return std::make_unique<GadgetBoard>(); }

}  // namespace cwmp::platform
