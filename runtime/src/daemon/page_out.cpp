#include "page_out.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "cwmp/util/fd.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21  // Linux 5.4; older glibc headers lack the name
#endif

namespace cwmp::daemon {
namespace {

struct Range {
    std::uintptr_t begin = 0, end = 0;
};

// The read-only file mappings in /proc/self/maps ("begin-end perms offset dev
// inode path"), read with plain system calls: whatever runs after the advice
// comes back into memory, so the reading is over by then.
bool read_only_file_mappings(std::vector<Range>& out, std::string& error) {
    const util::Fd fd(::open("/proc/self/maps", O_RDONLY | O_CLOEXEC));
    if (!fd) {
        error = "/proc/self/maps: " + std::string(std::strerror(errno));
        return false;
    }
    std::string text;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = "/proc/self/maps: " + std::string(std::strerror(errno));
            return false;
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    std::string_view rest = text;
    while (!rest.empty()) {
        const std::size_t eol = rest.find('\n');
        const std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
        const std::size_t dash = line.find('-'), space = line.find(' ');
        const std::size_t path = line.find('/');
        if (dash == std::string_view::npos || space == std::string_view::npos || path == std::string_view::npos ||
            dash > space || line.size() < space + 5 || line[space + 2] == 'w')
            continue;  // anonymous, or writable (the store's shared memory, relocated data)
        Range r;
        const char* b = line.data();
        if (std::from_chars(b, b + dash, r.begin, 16).ec != std::errc() ||
            std::from_chars(b + dash + 1, b + space, r.end, 16).ec != std::errc() || r.end <= r.begin)
            continue;
        out.push_back(r);
    }
    return true;
}

}  // namespace

PageOut page_out_clean_file_pages() {
    PageOut out;
    std::vector<Range> ranges;
    if (!read_only_file_mappings(ranges, out.error)) return out;
    for (const Range& r : ranges) {
        void* at = reinterpret_cast<void*>(r.begin);
        const std::size_t size = r.end - r.begin;
        if (::madvise(at, size, MADV_PAGEOUT) != 0) {
            if (out.error.empty()) out.error = "madvise(MADV_PAGEOUT): " + std::string(std::strerror(errno));
            continue;
        }
        ++out.mappings;
        out.bytes += size;
    }
    return out;
}

}  // namespace cwmp::daemon
