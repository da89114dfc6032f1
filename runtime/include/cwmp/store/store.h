// The agent's persistent state in one SQLite file (WAL journal): runtime-owned
// parameter values, attributes, instance counters, ParameterKey, CommandKeys,
// queued transfers, pending events.  Every change is one transaction, so a
// crash or power cut leaves the store wholly before or wholly after it.
//
// Durability by need: a commit is atomic and survives the process being
// killed (the kernel holds it) at once, but it reaches stable storage only
// at the next durable commit or sync(), which fsyncs the write-ahead log
// once for everything committed so far.  A power cut before then takes the
// store back to an earlier whole state (never a mix).  Callers make a commit
// durable where TR-069 needs it (see runtime/README.md, "Durable commit points").
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

namespace cwmp::store {

// Thrown for an unusable store (cannot open, disk full, corrupt file); the
// message names the file and SQLite's reason.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Durability : std::uint8_t {
    Lazy,     // atomic, survives kill -9; a power cut may undo it (and every later lazy commit)
    Durable,  // on stable storage before commit() returns, with every commit before it
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
        bool empty() const noexcept { return ops_.empty(); }
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
    // An empty batch writes nothing (callers need not check); a durable
    // commit of an empty batch is a sync().
    void commit(const Batch& batch, Durability durability = Durability::Lazy);

    // Makes every commit so far durable: one fsync of the log when lazy
    // commits are waiting, none otherwise.
    void sync();

    // Gives back the memory of SQLite's page cache (its pages are read again
    // when next needed): for a process going idle.
    void release_memory() noexcept;

    // Returns the next number of a counter (1, 2, ...), durable before it
    // is returned, so that a number is never handed out twice (instance numbers).
    std::uint64_t next(std::string_view counter);

private:
    struct Db;
    std::unique_ptr<Db> db_;
};

}  // namespace cwmp::store
