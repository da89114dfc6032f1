// Parsers of the kernel's and the distribution's text files, and the reading
// of those files under configurable roots (tests point them at fixtures).
//
// The parsers take the text and never throw: garbage gives an empty or
// partial result (a field that does not parse is left out), and every input
// is bounded.  Reading a file that should be there and is not throws
// KernelFileError naming the path: the board logs it and the agent answers
// that read with 9002.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cwmp::linux_board {

// Where the board reads the host: "/proc", "/sys", "/etc" by default.
struct Roots {
    std::string proc = "/proc";
    std::string sys = "/sys";
    std::string etc = "/etc";
};

class KernelFileError : public std::runtime_error {
public:
    KernelFileError(const std::string& path, const std::string& why)
        : std::runtime_error(path + ": " + why), path_(path) {}
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

// Files larger than this are cut (a process table or mountinfo is far smaller).
constexpr std::size_t kMaxFile = 4 << 20;

// The whole file (up to kMaxFile bytes); throws KernelFileError.
std::string read_file(const std::string& path, std::size_t limit = kMaxFile);
// The same, or nothing when it is missing or unreadable.
std::optional<std::string> try_read_file(const std::string& path, std::size_t limit = kMaxFile);
// The first line without its newline and surrounding blanks; nothing when missing.
std::optional<std::string> try_read_line(const std::string& path);
// Names in a directory (no "." and ".."), sorted; empty when it is missing.
std::vector<std::string> list_dir(const std::string& path);

// Numbers: a decimal prefix of the text after blanks; nothing on garbage or overflow.
std::optional<std::uint64_t> to_u64(std::string_view text);
std::optional<std::int64_t> to_i64(std::string_view text);

// /proc/meminfo: "Key: value kB" lines, by key (values in kB as written).
std::map<std::string, std::uint64_t, std::less<>> parse_meminfo(std::string_view text);

// /proc/stat's "cpu" line: jiffies spent busy and in total.
struct CpuTimes {
    std::uint64_t busy = 0;
    std::uint64_t total = 0;
};
std::optional<CpuTimes> parse_cpu_times(std::string_view proc_stat);
// Percent busy between two samples (0 when no time passed).
std::uint32_t cpu_usage(const CpuTimes& before, const CpuTimes& after);

// /proc/<pid>/stat: the fields a process entry needs.
struct ProcessStat {
    std::uint32_t pid = 0;
    std::string comm;         // the name between the parentheses (may hold blanks and ')')
    char state = '?';         // R S D T t Z X I ...
    std::uint64_t utime = 0;  // clock ticks
    std::uint64_t stime = 0;
    std::int64_t priority = 0;  // as the kernel writes it: 0..39 normal, negative for real-time
    std::uint64_t vsize = 0;    // bytes
    std::uint64_t rss_pages = 0;
};
std::optional<ProcessStat> parse_process_stat(std::string_view text);

// /proc/uptime: whole seconds since boot.
std::optional<std::uint64_t> parse_uptime(std::string_view text);

// os-release: KEY=value lines, values unquoted (shell-style quotes, backslash escapes).
std::map<std::string, std::string, std::less<>> parse_os_release(std::string_view text);

// resolv.conf: the addresses of "nameserver" lines, in order (at most 64).
std::vector<std::string> parse_resolv_conf(std::string_view text);

// NTP servers a time daemon is configured with: systemd-timesyncd's
// timesyncd.conf (NTP=, else FallbackNTP=, in [Time]; a later file or line
// overrides, an empty NTP= clears) and chrony's chrony.conf ("server" and
// "pool" lines).  At most 64.
std::vector<std::string> parse_timesyncd_conf(std::string_view text, std::vector<std::string> ntp = {},
                                              std::vector<std::string> fallback = {});
std::vector<std::string> parse_chrony_conf(std::string_view text);

// /proc/self/mountinfo: one entry per mount.
struct Mount {
    std::uint32_t major = 0, minor = 0;
    std::string root;         // the part of the filesystem mounted
    std::string mount_point;  // octal escapes (\040) undone
    std::string fs_type;
    std::string source;
};
std::vector<Mount> parse_mountinfo(std::string_view text);

// A TZif file's POSIX TZ footer (version 2 and later), e.g.
// "CET-1CEST,M3.5.0,M10.5.0/3"; nothing for version 1 files or garbage.
std::optional<std::string> tzif_footer(std::string_view data);

// "2a:00:..." style MAC (lower case in sysfs) -> upper case hex pairs as read.
// Network-independent helpers.
std::string trim(std::string_view s);

}  // namespace cwmp::linux_board
