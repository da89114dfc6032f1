// Vocabulary of the data model shared by generated tables and the engine.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace cwmp::dm {

// TR-106 primitive types (after named data types are resolved).
enum class Type : std::uint8_t {
    String, UnsignedInt, Int, UnsignedLong, Long, Boolean, DateTime, Base64, HexBinary, Decimal
};

enum class Access : std::uint8_t { ReadOnly, ReadWrite, WriteOnceReadOnly };

// The model's activeNotify attribute.
enum class Notify : std::uint8_t { Normal, CanDeny, ForceEnabled, ForceDefaultEnabled };

// Who provides a value: the board's code, the runtime's store, or the engine
// counting table entries (NumberOfEntries parameters).
enum class Binding : std::uint8_t { Platform, Runtime, Count };

// What the ACS may do with an object's instances (AddObject, DeleteObject).
// The generator decides it (generator/dmlib/codegen.py, acs_may: tables
// whose DT access allows it) and writes the result into the object table;
// the engine only tests it, with allows().
enum class ObjectAccess : std::uint8_t { ReadOnly = 0, Create = 1, Delete = 2, CreateDelete = 3 };

// What a parameter row says of itself beside its type, access, notification
// and binding: a set of named bits, so a generated row reads
// `.flags = ParamFlag::List | ParamFlag::Hidden` rather than a run of bools.
enum class ParamFlag : std::uint8_t {
    None = 0,
    ForcedInform = 1u << 0,  // in every Inform (the model's forcedInform)
    List = 1u << 1,          // a comma-separated list: a string on the wire
    Hidden = 1u << 2,        // hidden or secured: reads back as "" (passwords)
    HasDefault = 1u << 3,    // Param::default_value is the object default ("" may be one)
};

constexpr ParamFlag operator|(ParamFlag a, ParamFlag b) noexcept {
    return static_cast<ParamFlag>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

// Whether `set` holds `flag`.
constexpr bool has(ParamFlag set, ParamFlag flag) noexcept {
    return (static_cast<unsigned>(set) & static_cast<unsigned>(flag)) == static_cast<unsigned>(flag);
}

// Whether `granted` includes `what` (Create or Delete).
constexpr bool allows(ObjectAccess granted, ObjectAccess what) noexcept {
    return (static_cast<unsigned>(granted) & static_cast<unsigned>(what)) == static_cast<unsigned>(what);
}

// CWMP's xsd type name of a primitive type ("unsignedInt", ...).
std::string_view type_name(Type t) noexcept;

// Instance numbers of a path's {i} placeholders, outermost first.
struct Instance {
    std::span<const std::uint32_t> numbers;
};

// A dateTime value: seconds since the Unix epoch. TR-069's "unknown time"
// (0001-01-01T00:00:00Z) is DateTime::kUnknown.
struct DateTime {
    std::int64_t unix_seconds = kUnknown;
    static constexpr std::int64_t kUnknown = INT64_MIN;
    friend bool operator==(const DateTime&, const DateTime&) = default;
};

// Overload selector for the per-object platform functions.
template <class T>
struct Tag {};

// A field every platform read must set: it has no default, so an aggregate
// initialiser that leaves one out does not compile.  clang's error names the
// field; g++'s names only Required<T>'s deleted constructor at the
// initialiser's line, and the field in -Wextra's -Wmissing-field-initializers
// warning beside it (tests/generator/test_codegen.py looks for the name).
template <class T>
struct Required {
    Required() = delete;
    template <class U>
    Required(U&& v) : value(static_cast<U&&>(v)) {}  // NOLINT: implicit on purpose
    T value;
};

}  // namespace cwmp::dm
