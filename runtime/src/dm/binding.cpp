#include "binding.h"

#include "cwmp/util/log.h"
#include "internal.h"

namespace cwmp::dm {

template <class F>
Fault BoardObjects::call(std::string_view what, const Object& o, const Instance& in, F&& body) {
    Fault f = Fault::InternalError;
    std::string cause;
    try {
        f = body();
    } catch (...) {
        CaughtFault caught = caught_fault();
        f = caught.code;
        cause = std::move(caught.cause);
    }
    if (cause.empty() && f != Fault::InternalError) {
        error_.clear();
        return f;
    }
    error_ = "the board's " + std::string(what) + " of " + detail::instance_path(o.path, in.numbers) +
             (cause.empty() ? " failed" : " threw: " + cause);
    if (log_ != nullptr) log_->warning(error_);
    return f;
}

// The engine sends a table here only when the board lists its instances.
Fault BoardObjects::instances(const Object& o, const Instance& parent, std::vector<std::uint32_t>& out) {
    return call("instance list", o, parent, [&] {
        return o.instances != nullptr ? o.instances(ctx_, parent, out) : Fault::InternalError;
    });
}

// An object without a read function has no values on the board.
Fault BoardObjects::read(const Object& o, const Instance& in, std::span<std::string> values,
                         std::span<const std::uint16_t>) {
    if (o.read == nullptr) return Fault::None;
    return call("read", o, in, [&] { return o.read(ctx_, in, values); });
}

Fault BoardObjects::write(const Object& o, const Instance& in, std::span<const SlotValue> values) {
    if (o.write == nullptr) return Fault::NonWritableParameter;
    return call("write", o, in, [&] { return o.write(ctx_, in, values); });
}

Fault BoardObjects::add(const Object& o, const Instance& parent, std::uint32_t& number) {
    if (o.add == nullptr) return Fault::RequestDenied;
    return call("add", o, parent, [&] { return o.add(ctx_, parent, number); });
}

Fault BoardObjects::remove(const Object& o, const Instance& in) {
    if (o.remove == nullptr) return Fault::RequestDenied;
    return call("remove", o, in, [&] { return o.remove(ctx_, in); });
}

}  // namespace cwmp::dm
