// A SQLite VFS for power-cut tests: it wraps the default VFS and keeps each
// database and write-ahead-log file's contents in memory, writing them to
// the disk only when SQLite syncs the file (or closes it).  A process killed
// with SIGKILL then leaves on disk exactly what a pessimistic disk would
// keep after a power cut: what was synced, nothing else.  It also counts
// the syncs.  Install it in a child process only (it becomes the default VFS).
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

namespace test {

class PowerCutVfs {
public:
    // Registers the VFS as the default one, for this process from now on.
    static PowerCutVfs& install() {
        static PowerCutVfs vfs;  // lives as long as SQLite may call it
        return vfs;
    }
    // xSync calls on database and log files so far.
    std::uint64_t syncs() const { return syncs_.load(); }

private:
    struct File {
        sqlite3_file base;     // first: SQLite sees this
        sqlite3_file* real;    // the default VFS's file, right after this struct
        PowerCutVfs* owner;
        bool shadowed;         // database or log: contents held in memory
        std::string* data;     // the contents as SQLite sees them (shadowed files)
    };

    PowerCutVfs() {
        real_ = sqlite3_vfs_find(nullptr);
        std::memset(&vfs_, 0, sizeof vfs_);
        vfs_.iVersion = 2;
        vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
        vfs_.mxPathname = real_->mxPathname;
        vfs_.zName = "powercut";
        vfs_.pAppData = this;
        vfs_.xOpen = &open;
        vfs_.xDelete = [](sqlite3_vfs* v, const char* n, int d) { return self(v)->real_->xDelete(self(v)->real_, n, d); };
        vfs_.xAccess = [](sqlite3_vfs* v, const char* n, int f, int* r) {
            return self(v)->real_->xAccess(self(v)->real_, n, f, r);
        };
        vfs_.xFullPathname = [](sqlite3_vfs* v, const char* n, int size, char* out) {
            return self(v)->real_->xFullPathname(self(v)->real_, n, size, out);
        };
        vfs_.xDlOpen = [](sqlite3_vfs* v, const char* n) { return self(v)->real_->xDlOpen(self(v)->real_, n); };
        vfs_.xDlError = [](sqlite3_vfs* v, int n, char* m) { self(v)->real_->xDlError(self(v)->real_, n, m); };
        vfs_.xDlSym = [](sqlite3_vfs* v, void* h, const char* s) { return self(v)->real_->xDlSym(self(v)->real_, h, s); };
        vfs_.xDlClose = [](sqlite3_vfs* v, void* h) { self(v)->real_->xDlClose(self(v)->real_, h); };
        vfs_.xRandomness = [](sqlite3_vfs* v, int n, char* out) { return self(v)->real_->xRandomness(self(v)->real_, n, out); };
        vfs_.xSleep = [](sqlite3_vfs* v, int us) { return self(v)->real_->xSleep(self(v)->real_, us); };
        vfs_.xCurrentTime = [](sqlite3_vfs* v, double* t) { return self(v)->real_->xCurrentTime(self(v)->real_, t); };
        vfs_.xGetLastError = [](sqlite3_vfs* v, int n, char* m) { return self(v)->real_->xGetLastError(self(v)->real_, n, m); };
        vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* t) {
            return self(v)->real_->xCurrentTimeInt64(self(v)->real_, t);
        };

        std::memset(&io_, 0, sizeof io_);
        io_.iVersion = 2;  // no memory mapping: every read goes through xRead
        io_.xClose = &close;
        io_.xRead = &read;
        io_.xWrite = &write;
        io_.xTruncate = &truncate;
        io_.xSync = &sync;
        io_.xFileSize = &file_size;
        io_.xLock = [](sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); };
        io_.xUnlock = [](sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); };
        io_.xCheckReservedLock = [](sqlite3_file* f, int* r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); };
        io_.xFileControl = [](sqlite3_file* f, int op, void* arg) {
            if (op == SQLITE_FCNTL_MMAP_SIZE || op == SQLITE_FCNTL_SIZE_HINT) return SQLITE_NOTFOUND;
            return real(f)->pMethods->xFileControl(real(f), op, arg);
        };
        io_.xSectorSize = [](sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); };
        io_.xDeviceCharacteristics = [](sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); };
        io_.xShmMap = [](sqlite3_file* f, int pg, int sz, int ext, void volatile** p) {
            return real(f)->pMethods->xShmMap(real(f), pg, sz, ext, p);
        };
        io_.xShmLock = [](sqlite3_file* f, int off, int n, int flags) {
            return real(f)->pMethods->xShmLock(real(f), off, n, flags);
        };
        io_.xShmBarrier = [](sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); };
        io_.xShmUnmap = [](sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); };
        sqlite3_vfs_register(&vfs_, 1);
    }

    static PowerCutVfs* self(sqlite3_vfs* v) { return static_cast<PowerCutVfs*>(v->pAppData); }
    static File* file(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
    static sqlite3_file* real(sqlite3_file* f) { return file(f)->real; }

    // The in-memory contents go to the disk (what the kernel would hold).
    static int flush(File* f) {
        const std::string& d = *f->data;
        sqlite3_file* r = f->real;
        sqlite3_int64 size = 0;
        if (int rc = r->pMethods->xFileSize(r, &size); rc != SQLITE_OK) return rc;
        if (size > static_cast<sqlite3_int64>(d.size()))
            if (int rc = r->pMethods->xTruncate(r, static_cast<sqlite3_int64>(d.size())); rc != SQLITE_OK) return rc;
        if (d.empty()) return SQLITE_OK;
        return r->pMethods->xWrite(r, d.data(), static_cast<int>(d.size()), 0);
    }

    static int open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* out, int flags, int* out_flags) {
        PowerCutVfs* me = self(v);
        File* f = file(out);
        f->base.pMethods = nullptr;
        f->real = reinterpret_cast<sqlite3_file*>(f + 1);
        f->owner = me;
        f->shadowed = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0;
        f->data = nullptr;
        if (int rc = me->real_->xOpen(me->real_, name, f->real, flags, out_flags); rc != SQLITE_OK) return rc;
        if (f->shadowed) {
            f->data = new (std::nothrow) std::string;
            sqlite3_int64 size = 0;
            if (f->data == nullptr || f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK) {
                f->real->pMethods->xClose(f->real);
                delete f->data;
                return SQLITE_IOERR;
            }
            f->data->resize(static_cast<std::size_t>(size));
            if (size > 0 && f->real->pMethods->xRead(f->real, f->data->data(), static_cast<int>(size), 0) != SQLITE_OK) {
                f->real->pMethods->xClose(f->real);
                delete f->data;
                return SQLITE_IOERR;
            }
        }
        f->base.pMethods = &me->io_;
        return SQLITE_OK;
    }

    static int close(sqlite3_file* sf) {
        File* f = file(sf);
        int rc = SQLITE_OK;
        if (f->shadowed) rc = flush(f);  // a closed file is in the kernel's hands, as with a real disk
        delete f->data;
        f->data = nullptr;
        const int rc2 = f->real->pMethods->xClose(f->real);
        return rc != SQLITE_OK ? rc : rc2;
    }

    static int read(sqlite3_file* sf, void* buf, int n, sqlite3_int64 off) {
        File* f = file(sf);
        if (!f->shadowed) return real(sf)->pMethods->xRead(real(sf), buf, n, off);
        const std::string& d = *f->data;
        const auto size = static_cast<sqlite3_int64>(d.size());
        const sqlite3_int64 have = off >= size ? 0 : std::min<sqlite3_int64>(n, size - off);
        if (have > 0) std::memcpy(buf, d.data() + off, static_cast<std::size_t>(have));
        if (have < n) {
            std::memset(static_cast<char*>(buf) + have, 0, static_cast<std::size_t>(n - have));
            return SQLITE_IOERR_SHORT_READ;
        }
        return SQLITE_OK;
    }

    static int write(sqlite3_file* sf, const void* buf, int n, sqlite3_int64 off) {
        File* f = file(sf);
        if (!f->shadowed) return real(sf)->pMethods->xWrite(real(sf), buf, n, off);
        std::string& d = *f->data;
        const auto end = static_cast<std::size_t>(off) + static_cast<std::size_t>(n);
        if (d.size() < end) d.resize(end);
        std::memcpy(d.data() + off, buf, static_cast<std::size_t>(n));
        return SQLITE_OK;
    }

    static int truncate(sqlite3_file* sf, sqlite3_int64 size) {
        File* f = file(sf);
        if (!f->shadowed) return real(sf)->pMethods->xTruncate(real(sf), size);
        if (static_cast<sqlite3_int64>(f->data->size()) > size) f->data->resize(static_cast<std::size_t>(size));
        return SQLITE_OK;
    }

    static int sync(sqlite3_file* sf, int flags) {
        File* f = file(sf);
        if (!f->shadowed) return real(sf)->pMethods->xSync(real(sf), flags);
        ++f->owner->syncs_;
        if (int rc = flush(f); rc != SQLITE_OK) return rc;
        return real(sf)->pMethods->xSync(real(sf), flags);
    }

    static int file_size(sqlite3_file* sf, sqlite3_int64* size) {
        File* f = file(sf);
        if (!f->shadowed) return real(sf)->pMethods->xFileSize(real(sf), size);
        *size = static_cast<sqlite3_int64>(f->data->size());
        return SQLITE_OK;
    }

    sqlite3_vfs* real_ = nullptr;
    sqlite3_vfs vfs_{};
    sqlite3_io_methods io_{};
    std::atomic<std::uint64_t> syncs_{0};
};

}  // namespace test
