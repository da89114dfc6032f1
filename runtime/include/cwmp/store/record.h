// A structured value in one store key: one "name=value\n" line per field,
// backslash, newline and NUL escaped in values, so any string round-trips.
// The task queue (cwmp/tasks) keeps its records in this format; keys made by
// id_key sort in id order in the store.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace cwmp::store {

// A record (or a key made by id_key) that cannot be read back: a damaged
// store.  The message says why ("no field url", "unknown escape", ...).
class RecordError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class RecordWriter {
public:
    RecordWriter& text(std::string_view name, std::string_view value);
    template <std::integral T>
    RecordWriter& number(std::string_view name, T value) {
        return text(name, std::to_string(value));
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class RecordReader {
public:
    // Throws RecordError when `record` is not in the format above.
    explicit RecordReader(std::string_view record);

    // Throw RecordError when the field is missing or not a number of T.
    const std::string& text(std::string_view name) const;
    template <std::integral T>
    T number(std::string_view name) const {
        const std::string& s = text(name);
        T v{};
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || end != s.data() + s.size()) throw RecordError("bad number in " + std::string(name));
        return v;
    }

private:
    std::map<std::string, std::string, std::less<>> fields_;
};

// The key of record `id`: zero-padded to 20 digits, so that the store's key
// order is id order.  id_of_key reads it back (RecordError when it is not one).
std::string id_key(std::uint64_t id);
std::uint64_t id_of_key(std::string_view key);

}  // namespace cwmp::store
