// A store that fails as SQLite reports a full disk would: another connection
// puts triggers on the store's table, so every later write to it fails with
// "no space left (test)" (reads go on).  Real SQLite errors, through the
// store's own code path.
#pragma once

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <string>

namespace test {

inline constexpr const char* kNoSpace = "no space left (test)";

inline void exec_on(const std::string& store_file, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(store_file.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    const std::string why = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, why);
}

inline void fail_writes(const std::string& store_file) {
    exec_on(store_file,
            "CREATE TRIGGER full_i BEFORE INSERT ON kv BEGIN SELECT RAISE(ABORT, 'no space left (test)'); END;"
            "CREATE TRIGGER full_u BEFORE UPDATE ON kv BEGIN SELECT RAISE(ABORT, 'no space left (test)'); END;");
}

inline void free_space(const std::string& store_file) {
    exec_on(store_file, "DROP TRIGGER full_i; DROP TRIGGER full_u;");
}

}  // namespace test
