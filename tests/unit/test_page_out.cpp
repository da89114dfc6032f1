// The idle page-out (runtime/src/daemon/page_out.h): the clean pages of a
// read-only file mapping leave the process's memory, while a writable
// mapping's pages and anonymous memory stay; the process goes on using the
// pages it gave back (they come back on access).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cwmp/util/fd.h"
#include "page_out.h"

namespace {

constexpr std::size_t kSize = 1 << 20;

// Rss (KiB) of the mapping that starts at `at`, from /proc/self/smaps.
long rss_kib(const void* at) {
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    char start[32];
    std::snprintf(start, sizeof start, "%lx-", reinterpret_cast<unsigned long>(at));
    while (std::getline(smaps, line)) {
        if (line.find('-') != std::string::npos && line.find(' ') > line.find('-') &&
            line.find(':') != std::string::npos && line.find("kB") == std::string::npos)
            inside = line.rfind(start, 0) == 0;
        if (inside && line.rfind("Rss:", 0) == 0) return std::stol(line.substr(4));
    }
    return -1;
}

// A file of kSize bytes, on the disk (fsync: written-back pages are clean).
std::string make_file(const char* name, char fill) {
    std::string path = std::string("/tmp/cwmp-page-out-") + std::to_string(::getpid()) + name;
    std::ofstream(path, std::ios::binary) << std::string(kSize, fill);
    const cwmp::util::Fd fd(::open(path.c_str(), O_RDONLY));
    REQUIRE(fd);
    REQUIRE(::fsync(fd.get()) == 0);
    return path;
}

struct Mapping {
    void* at = MAP_FAILED;
    Mapping(const std::string& path, int prot, int flags) {
        const cwmp::util::Fd fd(::open(path.c_str(), (prot & PROT_WRITE) ? O_RDWR : O_RDONLY));
        REQUIRE(fd);
        at = ::mmap(nullptr, kSize, prot, flags, fd.get(), 0);
        REQUIRE(at != MAP_FAILED);
    }
    ~Mapping() { ::munmap(at, kSize); }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    unsigned touch() const {
        unsigned sum = 0;
        for (std::size_t i = 0; i < kSize; i += 4096) sum += static_cast<const volatile unsigned char*>(at)[i];
        return sum;
    }
};

}  // namespace

TEST_CASE("the page-out gives back read-only file pages and keeps writable and anonymous ones") {
#ifdef CWMP_UNDER_EMULATOR
    MESSAGE("skipped: a cross build's tests run under qemu-user, which does not pass madvise on");
    return;
#endif
    const std::string ro_path = make_file("-ro", 'r'), rw_path = make_file("-rw", 'w');
    {
        const Mapping ro(ro_path, PROT_READ, MAP_PRIVATE);
        const Mapping rw(rw_path, PROT_READ | PROT_WRITE, MAP_SHARED);
        std::vector<char> heap(kSize, 'h');
        const unsigned ro_sum = ro.touch();
        rw.touch();
        CHECK(rss_kib(ro.at) == kSize / 1024);
        CHECK(rss_kib(rw.at) == kSize / 1024);

        const cwmp::daemon::PageOut p = cwmp::daemon::page_out_clean_file_pages();
        if (!p.error.empty() && p.error.find("Invalid argument") != std::string::npos) {
            MESSAGE("skipped: this kernel has no MADV_PAGEOUT (" << p.error << ")");
            return;
        }
        CHECK(p.error.empty());
        CHECK(p.mappings > 0);
        CHECK(p.bytes >= kSize);
        // Gone from this process (a page the kernel could not take at once may stay: a few).
        CHECK(rss_kib(ro.at) <= 64);
        CHECK(rss_kib(rw.at) == kSize / 1024);   // writable: not advised
        CHECK(heap[kSize - 1] == 'h');
        // The pages come back on access, with their contents.
        CHECK(ro.touch() == ro_sum);
        CHECK(rss_kib(ro.at) == kSize / 1024);
    }
    std::remove(ro_path.c_str());
    std::remove(rw_path.c_str());
}
