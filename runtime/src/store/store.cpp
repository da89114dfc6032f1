#include "cwmp/store/store.h"

#include <sqlite3.h>

#include <stdexcept>

namespace cwmp::store {
namespace {

struct DbDeleter {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbDeleter>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

}  // namespace

struct Store::Db {
    DbPtr db;
    std::string path;

    [[noreturn]] void fail(const std::string& what) const {
        throw StoreError(path + ": " + what + ": " + (db ? sqlite3_errmsg(db.get()) : "cannot open"));
    }

    void exec(const char* sql) const {
        char* msg = nullptr;
        if (sqlite3_exec(db.get(), sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            std::string m = msg ? msg : "error";
            sqlite3_free(msg);
            throw StoreError(path + ": " + m);
        }
    }

    StmtPtr prepare(const char* sql) const {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db.get(), sql, -1, &s, nullptr) != SQLITE_OK) fail("prepare");
        return StmtPtr(s);
    }

    static void bind(sqlite3_stmt* s, int i, std::string_view v) {
        sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }

    static std::string column(sqlite3_stmt* s, int i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
    }
};

Store::Store(const std::string& path) : db_(std::make_unique<Db>()), path_(path) {
    db_->path = path;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    db_->db.reset(raw);
    if (rc != SQLITE_OK) db_->fail("open");
    sqlite3_busy_timeout(raw, 5000);
    // WAL with synchronous=FULL: a committed transaction survives a power cut.
    db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
              "CREATE TABLE IF NOT EXISTS kv (space TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
              " PRIMARY KEY (space, key)) WITHOUT ROWID;");
}

Store::~Store() = default;

std::optional<std::string> Store::get(std::string_view space, std::string_view key) const {
    StmtPtr s = db_->prepare("SELECT value FROM kv WHERE space=?1 AND key=?2");
    Db::bind(s.get(), 1, space);
    Db::bind(s.get(), 2, key);
    int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) return Db::column(s.get(), 0);
    if (rc != SQLITE_DONE) db_->fail("read");
    return std::nullopt;
}

std::map<std::string, std::string> Store::all(std::string_view space) const {
    StmtPtr s = db_->prepare("SELECT key, value FROM kv WHERE space=?1");
    Db::bind(s.get(), 1, space);
    std::map<std::string, std::string> out;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.emplace(Db::column(s.get(), 0), Db::column(s.get(), 1));
    if (rc != SQLITE_DONE) db_->fail("read");
    return out;
}

void Store::Batch::put(std::string space, std::string key, std::string value) {
    ops_.push_back({std::move(space), std::move(key), std::move(value)});
}

void Store::Batch::erase(std::string space, std::string key) {
    ops_.push_back({std::move(space), std::move(key), std::nullopt});
}

std::optional<std::string> Store::Batch::pending(std::string_view space, std::string_view key, bool& touched) const {
    for (auto it = ops_.rbegin(); it != ops_.rend(); ++it) {
        if (it->space == space && it->key == key) {
            touched = true;
            return it->value;
        }
    }
    touched = false;
    return std::nullopt;
}

void Store::commit(const Batch& batch) {
    if (batch.ops_.empty()) return;  // nothing to write: no transaction, no lock, no sync
    db_->exec("BEGIN IMMEDIATE");
    try {
        StmtPtr put = db_->prepare("INSERT INTO kv(space, key, value) VALUES(?1, ?2, ?3)"
                                   " ON CONFLICT(space, key) DO UPDATE SET value=excluded.value");
        StmtPtr del = db_->prepare("DELETE FROM kv WHERE space=?1 AND key=?2");
        for (const Batch::Op& op : batch.ops_) {
            sqlite3_stmt* s = op.value ? put.get() : del.get();
            sqlite3_reset(s);
            Db::bind(s, 1, op.space);
            Db::bind(s, 2, op.key);
            if (op.value) Db::bind(s, 3, *op.value);
            if (sqlite3_step(s) != SQLITE_DONE) db_->fail("write");
        }
        db_->exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::uint64_t Store::next(std::string_view counter) {
    const std::uint64_t n = std::stoull(get("counter", counter).value_or("0")) + 1;
    Batch b;
    b.put("counter", std::string(counter), std::to_string(n));
    commit(b);
    return n;
}

}  // namespace cwmp::store
