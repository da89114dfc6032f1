// One binding path (private to runtime/src/dm): every object's instances
// and values answer through the same per-object interface, whoever keeps
// them.  The board keeps its own (BoardObjects, below: the generated
// tables' functions); the runtime keeps the rest in the store
// (RuntimeStore, runtime_store.h).  The engine picks one by the tables'
// Binding field and otherwise does not care which it talks to.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/dm/context.h"
#include "cwmp/dm/schema.h"
#include "cwmp/fault.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::dm {

// The calls of schema.h's per-object functions (InstancesFn, ReadFn,
// WriteFn, AddFn, DeleteFn), given the object they are for.
class ObjectBinding {
public:
    virtual ~ObjectBinding() = default;

    // The instance numbers of table `o` below `parent`, in order.
    virtual Fault instances(const Object& o, const Instance& parent, std::vector<std::uint32_t>& out) = 0;
    // Every value this binding keeps of one instance of `o`: values[k] for
    // o.params[k]; the slots of parameters bound elsewhere are left as they
    // are.  `wanted` (slots; empty: all) are the ones the caller needs: a
    // binding may fill only those (the store does; a board's generated read
    // fills its whole struct).
    virtual Fault read(const Object& o, const Instance& in, std::span<std::string> values,
                       std::span<const std::uint16_t> wanted) = 0;
    // Values of one instance at once (slots of o.params).
    virtual Fault write(const Object& o, const Instance& in, std::span<const SlotValue> values) = 0;
    // A new instance of table `o` below `parent`; `number` comes in as the
    // engine's proposal and goes out as the number the instance has.
    virtual Fault add(const Object& o, const Instance& parent, std::uint32_t& number) = 0;
    virtual Fault remove(const Object& o, const Instance& in) = 0;
};

// The board's objects: the generated tables' functions, run on the board's
// Context.  This is the one place that turns what the board's code threw
// into a fault: a failure it threw or left unexplained (9002) is logged with
// the instance's path and the cause, and kept for the fault's text.
class BoardObjects final : public ObjectBinding {
public:
    explicit BoardObjects(Context& ctx) noexcept : ctx_(ctx) {}

    void set_log(const util::Log* log) noexcept { log_ = log; }

    Fault instances(const Object& o, const Instance& parent, std::vector<std::uint32_t>& out) override;
    Fault read(const Object& o, const Instance& in, std::span<std::string> values,
               std::span<const std::uint16_t> wanted) override;
    Fault write(const Object& o, const Instance& in, std::span<const SlotValue> values) override;
    Fault add(const Object& o, const Instance& parent, std::uint32_t& number) override;
    Fault remove(const Object& o, const Instance& in) override;

    // The last failure's path and cause ("" after a success), and that
    // taken (a later fault does not repeat it).
    const std::string& error() const noexcept { return error_; }
    std::string take_error() { return std::exchange(error_, {}); }

private:
    template <class F>
    Fault call(std::string_view what, const Object& o, const Instance& in, F&& body);

    Context& ctx_;
    const util::Log* log_ = nullptr;
    std::string error_;
};

}  // namespace cwmp::dm
