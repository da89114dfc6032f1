#include "cwmp/store/store.h"

#include <sqlite3.h>

#include <mutex>
#include <set>
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

// Resets a cached statement when the call is done with it: a statement left
// mid-step would hold a read transaction open and stall checkpoints.
class Use {
public:
    explicit Use(sqlite3_stmt* s) : s_(s) {}
    ~Use() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    sqlite3_stmt* get() const { return s_; }

private:
    sqlite3_stmt* s_;
};

// The log is copied into the database file (two fsyncs) at a durable point
// once it holds this many pages, so that boxes that do sync now and then
// never checkpoint in a session that needs no sync.  SQLite's own
// autocheckpoint (1000 pages) stays as the bound for a box that never does.
constexpr int kCheckpointAtSync = 256;
constexpr int kAutoCheckpoint = 1000;

}  // namespace

struct Store::Db {
    DbPtr db;
    std::string path;
    StmtPtr get, all, put, del, begin, commit, rollback;
    bool unsynced = false;  // lazy commits since the last fsync of the log
    // Spaces read more than once (the task queue's and the agent's: every
    // session lists its events and transfers) are kept in memory and written
    // through, so that reading them costs no SQL, lock or system call.  The
    // store file is this process's alone.  Spaces read once (the engine's, at
    // start) are not kept: the engine holds its own copy.
    using Space = std::map<std::string, std::string>;
    std::map<std::string, Space, std::less<>> kept;
    std::set<std::string, std::less<>> read;  // spaces read once so far

    // The space from memory, once this is its second read; null before.
    const Space* keep(std::string_view space) {
        if (auto it = kept.find(space); it != kept.end()) return &it->second;
        if (read.emplace(space).second) return nullptr;
        Use s(all.get());
        bind(s.get(), 1, space);
        Space whole;
        int rc;
        while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) whole.emplace(column(s.get(), 0), column(s.get(), 1));
        if (rc != SQLITE_DONE) fail("read");
        return &kept.emplace(std::string(space), std::move(whole)).first->second;
    }
    int wal_pages = 0;      // pages in the log (SQLite's WAL hook)

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
        if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
            fail("prepare");
        return StmtPtr(s);
    }

    static void bind(sqlite3_stmt* s, int i, std::string_view v) {
        sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }

    static std::string column(sqlite3_stmt* s, int i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
    }

    static int on_wal(void* self, sqlite3* db, const char* name, int pages) {
        static_cast<Db*>(self)->wal_pages = pages;
        // What SQLite's default hook (its autocheckpoint) does; a failure
        // here leaves the log to the next checkpoint.
        if (pages >= kAutoCheckpoint) sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        return SQLITE_OK;
    }

    // One fsync of the write-ahead log: every commit in it is then durable.
    void sync_log() {
        if (wal_pages >= kCheckpointAtSync) {
            // The checkpoint syncs the log before it copies it, then the database.
            // Every frame copied: the database file, synced, holds it all.
            int log = 0, copied = 0;
            if (sqlite3_wal_checkpoint_v2(db.get(), "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK)
                fail("checkpoint");
            if (copied == log) {
                unsynced = false;
                return;
            }
        }
        sqlite3_file* wal = nullptr;
        if (sqlite3_file_control(db.get(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK)
            fail("sync");
        if (wal != nullptr && wal->pMethods != nullptr) {
            const int rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
            if (rc != SQLITE_OK) throw StoreError(path + ": sync: " + sqlite3_errstr(rc));
        }
        unsynced = false;
    }
};

namespace {

// SQLite's page cache takes its first pages in one block, as many as the
// cache may hold (cache_size), and writes a header into each: all of it
// private memory, whether the store fills it or not.  Without that block
// each page is allocated when read.  Process-wide, and only possible before
// SQLite's first use: set once, before the first store opens (a process
// that used SQLite before keeps the block; sqlite3_config says so with
// SQLITE_MISUSE, which changes nothing else).
void without_bulk_page_cache() {
    static std::once_flag once;
    std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0); });
}

}  // namespace

Store::Store(const std::string& path) : db_(std::make_unique<Db>()) {
    without_bulk_page_cache();
    db_->path = path;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    db_->db.reset(raw);
    if (rc != SQLITE_OK) db_->fail("open");
    sqlite3_busy_timeout(raw, 5000);
    // A small lookaside (SQLite's default is 120 KiB per connection): the
    // store runs a few short statements, and the agent's memory is counted.
    sqlite3_db_config(raw, SQLITE_DBCONFIG_LOOKASIDE, nullptr, 128, 64);
    // WAL with synchronous=NORMAL: commits are atomic and ordered but not
    // synced; sync() and durable commits sync the log (see store.h).  The
    // page cache is small: the store is a few dozen pages and the engine
    // keeps its own copy of what it reads often (set first: the first read
    // allocates the cache).
    db_->exec("PRAGMA cache_size=-64; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
              "PRAGMA journal_size_limit=1048576;"
              "CREATE TABLE IF NOT EXISTS kv (space TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
              " PRIMARY KEY (space, key)) WITHOUT ROWID;");
    sqlite3_wal_hook(raw, &Db::on_wal, db_.get());
    db_->get = db_->prepare("SELECT value FROM kv WHERE space=?1 AND key=?2");
    db_->all = db_->prepare("SELECT key, value FROM kv WHERE space=?1");
    db_->put = db_->prepare("INSERT INTO kv(space, key, value) VALUES(?1, ?2, ?3)"
                            " ON CONFLICT(space, key) DO UPDATE SET value=excluded.value");
    db_->del = db_->prepare("DELETE FROM kv WHERE space=?1 AND key=?2");
    db_->begin = db_->prepare("BEGIN IMMEDIATE");
    db_->commit = db_->prepare("COMMIT");
    db_->rollback = db_->prepare("ROLLBACK");
}

Store::~Store() = default;

void Store::release_memory() noexcept { (void)sqlite3_db_release_memory(db_->db.get()); }

std::optional<std::string> Store::get(std::string_view space, std::string_view key) const {
    if (const Db::Space* kept = db_->keep(space)) {
        auto it = kept->find(std::string(key));
        if (it == kept->end()) return std::nullopt;
        return it->second;
    }
    Use s(db_->get.get());
    Db::bind(s.get(), 1, space);
    Db::bind(s.get(), 2, key);
    int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) return Db::column(s.get(), 0);
    if (rc != SQLITE_DONE) db_->fail("read");
    return std::nullopt;
}

std::map<std::string, std::string> Store::all(std::string_view space) const {
    if (const Db::Space* kept = db_->keep(space)) return *kept;
    Use s(db_->all.get());
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

void Store::commit(const Batch& batch, Durability durability) {
    if (!batch.ops_.empty()) {
        if (Use b(db_->begin.get()); sqlite3_step(b.get()) != SQLITE_DONE) db_->fail("begin");
        try {
            for (const Batch::Op& op : batch.ops_) {
                Use s(op.value ? db_->put.get() : db_->del.get());
                Db::bind(s.get(), 1, op.space);
                Db::bind(s.get(), 2, op.key);
                if (op.value) Db::bind(s.get(), 3, *op.value);
                if (sqlite3_step(s.get()) != SQLITE_DONE) db_->fail("write");
            }
            if (Use c(db_->commit.get()); sqlite3_step(c.get()) != SQLITE_DONE) db_->fail("commit");
        } catch (...) {
            Use r(db_->rollback.get());
            (void)sqlite3_step(r.get());  // SQLite undoes a failed transaction itself; the first error is thrown
            throw;
        }
        db_->unsynced = true;
        for (const Batch::Op& op : batch.ops_) {  // committed: the kept spaces follow
            auto kept = db_->kept.find(op.space);
            if (kept == db_->kept.end()) continue;
            if (op.value) {
                kept->second.insert_or_assign(op.key, *op.value);
            } else {
                kept->second.erase(op.key);
            }
        }
    }
    if (durability == Durability::Durable) sync();
}

void Store::sync() {
    if (db_->unsynced) db_->sync_log();
}

std::uint64_t Store::next(std::string_view counter) {
    const std::uint64_t n = std::stoull(get("counter", counter).value_or("0")) + 1;
    Batch b;
    b.put("counter", std::string(counter), std::to_string(n));
    commit(b, Durability::Durable);
    return n;
}

}  // namespace cwmp::store
