// The agent's persistent state in one SQLite file (WAL journal): runtime-owned
// parameter values, attributes, instance counters, ParameterKey, CommandKeys,
// queued transfers, pending events.  Every change is one transaction, so a
// crash or power cut leaves the store wholly before or wholly after it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace cwmp::store {

// Thrown for an unusable store (cannot open, disk full, corrupt file); the
// message names the file and SQLite's reason.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Store {
public:
    // Opens (creating if needed) the store at `path`.
    explicit Store(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Values by key within a namespace ("value", "attr", "counter", ...).
    std::optional<std::string> get(std::string_view space, std::string_view key) const;
    std::map<std::string, std::string> all(std::string_view space) const;

    // A set of changes applied together or not at all.
    class Batch {
    public:
        void put(std::string space, std::string key, std::string value);
        void erase(std::string space, std::string key);
        // The value this batch will leave at `key` (nullopt: erased, or not
        // touched when `touched` comes back false).
        std::optional<std::string> pending(std::string_view space, std::string_view key, bool& touched) const;

    private:
        friend class Store;
        struct Op {
            std::string space, key;
            std::optional<std::string> value;  // nullopt: erase
        };
        std::vector<Op> ops_;
    };
    // An empty batch writes nothing (callers need not check).
    void commit(const Batch& batch);

    // Returns the next number of a counter (1, 2, ...), persisted before it
    // is returned, so that a number is never handed out twice (instance numbers).
    std::uint64_t next(std::string_view counter);

private:
    struct Db;
    std::unique_ptr<Db> db_;
    std::string path_;
};

}  // namespace cwmp::store
