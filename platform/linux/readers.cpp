#include "readers.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace cwmp::linux_board {

namespace {

// A descriptor that closes itself.
struct FileFd {
    int fd;
    ~FileFd() {
        if (fd >= 0) ::close(fd);
    }
};

// Reads up to `limit` bytes; errno-style failure as the negative return.
int read_all(const std::string& path, std::size_t limit, std::string& out) {
    FileFd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) return -errno;
    char buf[8192];
    while (out.size() < limit) {
        const ssize_t n = ::read(f.fd, buf, std::min(sizeof buf, limit - out.size()));
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return 0;
}

std::vector<std::string_view> split_ws(std::string_view s, std::size_t max_fields = 256) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size() && out.size() < max_fields) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const std::size_t b = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

// Calls f(line) for each line (without '\n').
template <class F>
void each_line(std::string_view text, F&& f) {
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        f(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

// mountinfo escapes blanks, tabs, newlines and backslashes as \ooo.
std::string unescape_octal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() &&
            std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i) + 1, s.begin() + static_cast<std::ptrdiff_t>(i) + 4,
                        [](char c) { return c >= '0' && c <= '7'; })) {
            out.push_back(static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

}  // namespace

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string read_file(const std::string& path, std::size_t limit) {
    std::string out;
    if (const int e = read_all(path, limit, out); e < 0) throw KernelFileError(path, std::strerror(-e));
    return out;
}

std::optional<std::string> try_read_file(const std::string& path, std::size_t limit) {
    std::string out;
    if (read_all(path, limit, out) < 0) return std::nullopt;
    return out;
}

std::optional<std::string> try_read_line(const std::string& path) {
    auto text = try_read_file(path, 4096);
    if (!text) return std::nullopt;
    return trim(std::string_view(*text).substr(0, text->find('\n')));
}

std::vector<std::string> list_dir(const std::string& path) {
    std::vector<std::string> out;
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) return out;
    while (const dirent* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) out.emplace_back(e->d_name);
        if (out.size() >= 100000) break;  // bounded even on a strange filesystem
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<std::uint64_t> to_u64(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p == text.data()) return std::nullopt;
    return v;
}

std::optional<std::int64_t> to_i64(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p == text.data()) return std::nullopt;
    return v;
}

std::map<std::string, std::uint64_t, std::less<>> parse_meminfo(std::string_view text) {
    std::map<std::string, std::uint64_t, std::less<>> out;
    each_line(text, [&](std::string_view line) {
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || out.size() >= 256) return;
        if (auto v = to_u64(line.substr(colon + 1))) out.emplace(std::string(line.substr(0, colon)), *v);
    });
    return out;
}

std::optional<CpuTimes> parse_cpu_times(std::string_view proc_stat) {
    std::optional<CpuTimes> out;
    each_line(proc_stat, [&](std::string_view line) {
        if (out || !line.starts_with("cpu ")) return;
        const auto f = split_ws(line.substr(4), 16);
        if (f.size() < 4) return;
        CpuTimes t;
        for (std::size_t i = 0; i < f.size() && i < 8; ++i) {  // user nice system idle iowait irq softirq steal
            const auto v = to_u64(f[i]);
            if (!v) return;
            t.total += *v;
            if (i != 3 && i != 4) t.busy += *v;  // idle and iowait are not busy
        }
        out = t;
    });
    return out;
}

std::uint32_t cpu_usage(const CpuTimes& before, const CpuTimes& after) {
    if (after.total <= before.total || after.busy < before.busy) return 0;
    const std::uint64_t total = after.total - before.total;
    const std::uint64_t busy = std::min(after.busy - before.busy, total);
    return static_cast<std::uint32_t>((busy * 100 + total / 2) / total);
}

std::optional<ProcessStat> parse_process_stat(std::string_view text) {
    // "pid (comm) state ppid ..." where comm may contain anything: the last ')' ends it.
    const std::size_t open = text.find('(');
    const std::size_t close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    ProcessStat p;
    const auto pid = to_u64(text.substr(0, open));
    if (!pid || *pid == 0 || *pid > UINT32_MAX) return std::nullopt;
    p.pid = static_cast<std::uint32_t>(*pid);
    p.comm = std::string(text.substr(open + 1, std::min<std::size_t>(close - open - 1, 64)));
    const auto f = split_ws(text.substr(close + 1), 32);
    // f[0] is field 3 (state); utime is field 14, stime 15, priority 18, vsize 23, rss 24.
    if (f.size() < 22 || f[0].size() != 1) return std::nullopt;
    p.state = f[0][0];
    const auto utime = to_u64(f[11]), stime = to_u64(f[12]), vsize = to_u64(f[20]), rss = to_u64(f[21]);
    const auto prio = to_i64(f[15]);
    if (!utime || !stime || !prio || !vsize || !rss) return std::nullopt;
    p.utime = *utime;
    p.stime = *stime;
    p.priority = *prio;
    p.vsize = *vsize;
    p.rss_pages = *rss;
    return p;
}

std::optional<std::uint64_t> parse_uptime(std::string_view text) { return to_u64(text); }

std::map<std::string, std::string, std::less<>> parse_os_release(std::string_view text) {
    std::map<std::string, std::string, std::less<>> out;
    each_line(text, [&](std::string_view raw) {
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || out.size() >= 256) return;
        const std::size_t eq = line.find('=');
        if (eq == std::string::npos || eq == 0) return;
        std::string value;
        std::string_view v = std::string_view(line).substr(eq + 1);
        char quote = 0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const char c = v[i];
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'' && i + 1 < v.size()) {
                value.push_back(v[++i]);
            } else {
                value.push_back(c);
            }
        }
        out[line.substr(0, eq)] = std::move(value);
    });
    return out;
}

std::vector<std::string> parse_resolv_conf(std::string_view text) {
    std::vector<std::string> out;
    each_line(text, [&](std::string_view line) {
        const auto f = split_ws(line.substr(0, line.find_first_of("#;")), 4);
        if (f.size() >= 2 && f[0] == "nameserver" && out.size() < 64 && f[1].size() <= 64) out.emplace_back(f[1]);
    });
    return out;
}

std::vector<std::string> parse_timesyncd_conf(std::string_view text, std::vector<std::string> ntp,
                                              std::vector<std::string> fallback) {
    bool in_time = false;
    each_line(text, [&](std::string_view raw) {
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';') return;
        if (line[0] == '[') {
            in_time = line == "[Time]";
            return;
        }
        const std::size_t eq = line.find('=');
        if (!in_time || eq == std::string::npos) return;
        const std::string key = trim(std::string_view(line).substr(0, eq));
        if (key != "NTP" && key != "FallbackNTP") return;
        std::vector<std::string>& list = key == "NTP" ? ntp : fallback;
        const auto names = split_ws(std::string_view(line).substr(eq + 1), 64);
        if (names.empty()) list.clear();  // "NTP=" resets the list
        for (auto n : names)
            if (list.size() < 64 && n.size() <= 255) list.emplace_back(n);
    });
    return ntp.empty() ? fallback : ntp;
}

std::vector<std::string> parse_chrony_conf(std::string_view text) {
    std::vector<std::string> out;
    each_line(text, [&](std::string_view line) {
        const auto f = split_ws(line.substr(0, line.find_first_of("#!;%")), 4);
        if (f.size() >= 2 && (f[0] == "server" || f[0] == "pool" || f[0] == "peer") && out.size() < 64 &&
            f[1].size() <= 255)
            out.emplace_back(f[1]);
    });
    return out;
}

std::vector<Mount> parse_mountinfo(std::string_view text) {
    std::vector<Mount> out;
    each_line(text, [&](std::string_view line) {
        // id parent major:minor root mount-point options [optional...] - fstype source super-options
        const auto f = split_ws(line, 64);
        if (f.size() < 7 || out.size() >= 10000) return;
        const std::size_t colon = f[2].find(':');
        if (colon == std::string_view::npos) return;
        const auto major = to_u64(f[2].substr(0, colon)), minor = to_u64(f[2].substr(colon + 1));
        if (!major || !minor || *major > UINT32_MAX || *minor > UINT32_MAX) return;
        std::size_t dash = 6;
        while (dash < f.size() && f[dash] != "-") ++dash;
        if (dash + 2 >= f.size()) return;
        Mount m;
        m.major = static_cast<std::uint32_t>(*major);
        m.minor = static_cast<std::uint32_t>(*minor);
        m.root = unescape_octal(f[3]);
        m.mount_point = unescape_octal(f[4]);
        m.fs_type = std::string(f[dash + 1]);
        m.source = unescape_octal(f[dash + 2]);
        out.push_back(std::move(m));
    });
    return out;
}

std::optional<std::string> tzif_footer(std::string_view data) {
    // RFC 8536: a v2+ file ends with "\n<TZ string>\n" after the second data block.
    if (data.size() < 45 || data.substr(0, 4) != "TZif" || data[4] < '2') return std::nullopt;
    if (data.back() != '\n') return std::nullopt;
    const std::size_t start = data.rfind('\n', data.size() - 2);
    if (start == std::string_view::npos) return std::nullopt;
    std::string_view tz = data.substr(start + 1, data.size() - start - 2);
    if (tz.empty() || tz.size() > 256) return std::nullopt;
    if (!std::all_of(tz.begin(), tz.end(), [](char c) { return c > ' ' && c < 127; })) return std::nullopt;
    return std::string(tz);
}

}  // namespace cwmp::linux_board
