#include "board.h"

#include <linux/if.h>
#include <linux/if_arp.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

extern char** environ;

namespace cwmp::linux_board {

namespace {

constexpr int kSnapshotMs = 200;  // interface tables: at most one netlink dump per this, unless announced

const char* const kIdentityKeys[] = {"manufacturer",  "manufacturer_oui", "model_name",       "description",
                                     "product_class", "serial_number",    "hardware_version", "software_version"};

std::string numbers_file(const LinuxOptions& o) {
    return o.state_dir.empty() ? std::string() : o.state_dir + "/linux-board.numbers";
}

// The first readable, non-empty line among `paths`.
std::string first_of(std::initializer_list<std::string> paths) {
    for (const std::string& p : paths)
        if (auto v = try_read_line(p); v && !v->empty()) return *v;
    return {};
}

// Runs `command` through /bin/sh -c and waits; "" or what failed.
std::string run(const std::string& command) {
    pid_t pid = 0;
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    if (const int e = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ); e != 0)
        return "cannot run '" + command + "': " + std::strerror(e);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return "'" + command + "': " + std::strerror(errno);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    return "'" + command + "' failed (status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
}

}  // namespace

// "a, b": trimmed absolute paths that fit VendorLogFile.Name (64 characters), no repeats.
static std::vector<std::string> split_log_files(const std::string& value) {
    std::vector<std::string> out;
    if (trim(value).empty()) return out;  // "vendor_log_files =": none
    std::size_t from = 0;
    while (from <= value.size()) {
        std::size_t comma = value.find(',', from);
        if (comma == std::string::npos) comma = value.size();
        std::string item = trim(value.substr(from, comma - from));
        from = comma + 1;
        if (item.empty()) throw BoardConfigError("vendor_log_files: an empty item in: " + value);
        if (!item.starts_with('/')) throw BoardConfigError("vendor_log_files: not an absolute path: " + item);
        if (item.size() > 64)
            throw BoardConfigError("vendor_log_files: longer than 64 characters (VendorLogFile.Name): " + item);
        if (std::find(out.begin(), out.end(), item) != out.end())
            throw BoardConfigError("vendor_log_files: listed twice: " + item);
        out.push_back(std::move(item));
    }
    return out;
}

LinuxOptions parse_options(const std::map<std::string, std::string, std::less<>>& section) {
    LinuxOptions o;
    for (const auto& [key, value] : section) {
        if (key == "proc_root") o.roots.proc = value;
        else if (key == "sys_root") o.roots.sys = value;
        else if (key == "etc_root") o.roots.etc = value;
        else if (key == "state_dir") o.state_dir = value;
        else if (key == "vendor_log_files") {
            o.vendor_log_files = split_log_files(value);
        }
        else if (key == "reboot_command") {
            if (value.empty()) throw BoardConfigError("reboot_command: empty");
            o.reboot_command = value;
        } else if (std::find(std::begin(kIdentityKeys), std::end(kIdentityKeys), key) != std::end(kIdentityKeys)) {
            if (key == "manufacturer_oui" &&
                (value.size() != 6 || !std::all_of(value.begin(), value.end(), [](char c) {
                     return std::isxdigit(static_cast<unsigned char>(c)) && !std::islower(static_cast<unsigned char>(c));
                 })))
                throw BoardConfigError("manufacturer_oui: not six upper-case hex digits: " + value);
            o.identity[key] = value;
        } else {
            throw BoardConfigError(key + ": not a key of board linux");
        }
    }
    return o;
}

std::string LinuxBoard::boot_id() const {
    return try_read_line(options_.roots.proc + "/sys/kernel/random/boot_id").value_or("");
}

std::string enable_key(std::string_view interface_name) { return "enable " + std::string(interface_name); }

LinuxBoard::LinuxBoard(LinuxOptions options, Logger log_error, platform::Settings* settings, Logger log_info)
    : options_(std::move(options)),
      log_error_(std::move(log_error)),
      log_info_(std::move(log_info)),
      settings_(settings),
      numbers_(numbers_file(options_), LinuxBoard::boot_id()) {
    if (settings_)
        for (const auto& [key, value] : settings_->load())
            if (key.starts_with("enable ") && (value == "true" || value == "false"))
                enables_[key.substr(7)] = value == "true";
    // When each interface's status last changed, as this boot's earlier run saw it.
    for (const auto& [key, value] : numbers_.notes()) {
        if (!key.starts_with("since.")) continue;
        const auto index = to_u64(std::string_view(key).substr(6));
        const std::size_t blank = value.find(' ');
        const auto state = to_u64(std::string_view(value).substr(0, blank));
        const auto at = blank == std::string::npos ? std::nullopt : to_i64(std::string_view(value).substr(blank + 1));
        if (index && state && at && *index <= UINT32_MAX && *state <= 255)
            status_since_[static_cast<std::uint32_t>(*index)] = {static_cast<std::uint8_t>(*state), *at};
    }
    const Roots& r = options_.roots;
    const std::string dmi = r.sys + "/class/dmi/id/";
    utsname u{};
    ::uname(&u);
    const auto os = parse_os_release(try_read_file(r.etc + "/os-release", 65536).value_or(""));
    auto os_value = [&](const char* k) {
        auto it = os.find(k);
        return it == os.end() ? std::string() : it->second;
    };
    const std::string kernel = first_of({r.proc + "/sys/kernel/osrelease"});
    auto pick = [&](const char* key, std::string fallback) {
        auto it = options_.identity.find(key);
        identity_[key] = it != options_.identity.end() ? it->second : std::move(fallback);
    };
    pick("manufacturer", first_of({dmi + "sys_vendor", dmi + "board_vendor"}));
    if (identity_["manufacturer"].empty()) identity_["manufacturer"] = "Unknown";
    pick("model_name", first_of({dmi + "product_name", r.proc + "/device-tree/model", dmi + "board_name"}));
    if (identity_["model_name"].empty()) identity_["model_name"] = u.machine;
    const std::string pretty = os_value("PRETTY_NAME");
    pick("description", std::string(u.sysname) + " " + (kernel.empty() ? u.release : kernel) +
                            (pretty.empty() ? std::string() : " (" + pretty + ")"));
    pick("product_class", first_of({dmi + "product_family"}));
    if (identity_["product_class"].empty()) identity_["product_class"] = "linux-host";
    pick("serial_number", first_of({dmi + "product_serial", r.etc + "/machine-id"}));
    if (identity_["serial_number"].empty()) identity_["serial_number"] = "unknown";
    pick("hardware_version", first_of({dmi + "product_version"}));
    if (identity_["hardware_version"].empty()) identity_["hardware_version"] = u.machine;
    std::string version = os_value("VERSION_ID");
    if (!os_value("BUILD_ID").empty()) version += (version.empty() ? "" : "+") + os_value("BUILD_ID");
    pick("software_version", version.empty() ? (kernel.empty() ? std::string(u.release) : kernel) : version);
    // The OUI of the first universally administered Ethernet address.
    std::string oui = "000000";
    for (const Link& l : netlink_.links()) {
        if (l.type != ARPHRD_ETHER || l.mac.size() != 17) continue;
        const int first = std::stoi(l.mac.substr(0, 2), nullptr, 16);
        if (first & 2) continue;  // locally administered: no manufacturer behind it
        oui.clear();
        for (std::size_t i : {0, 1, 3, 4, 6, 7}) oui.push_back(static_cast<char>(std::toupper(l.mac[i])));
        break;
    }
    pick("manufacturer_oui", oui);
}

const std::string& LinuxBoard::identity(std::string_view key) const {
    static const std::string none;
    auto it = identity_.find(key);
    return it == identity_.end() ? none : it->second;
}

void LinuxBoard::note_once(const std::string& key, const std::string& message) {
    if (noted_.insert(key).second && log_error_) log_error_("board linux: " + message);
}

void LinuxBoard::fail(const std::string& path, const std::string& why) const {
    const std::string message = "board linux: " + path + ": " + why;
    if (log_error_) log_error_(message);
    throw KernelFileError(path, why);
}

std::string LinuxBoard::read(const std::string& path) const {
    try {
        return read_file(path);
    } catch (const KernelFileError& e) {
        fail(path, std::string(e.what()).substr(path.size() + 2));
    }
}

void LinuxBoard::start() { apply_enables(); }

void LinuxBoard::on_event() {
    if (monitor_.drain()) {
        stale_ = true;
        apply_enables();  // an interface that appeared gets the Enable the ACS wrote for it
        changed();
    }
}

// From the interfaces' snapshot (refresh()): an announcement costs one dump,
// which the ACS's reads that follow within kSnapshotMs share.
void LinuxBoard::apply_enables() {
    if (enables_.empty()) return;  // nothing to apply: no dump
    const std::vector<Iface>* ifaces = nullptr;
    try {
        ifaces = &interfaces();
    } catch (const std::runtime_error& e) {  // tried again at the kernel's next announcement
        if (log_error_) log_error_(std::string("board linux: Enable values not applied: ") + e.what());
        return;
    }
    std::set<std::uint32_t> seen;
    for (const Iface& i : *ifaces) {
        const Link& l = i.link;
        seen.insert(l.index);
        if (enables_applied_.contains(l.index)) continue;
        const auto it = enables_.find(l.name);
        if (it == enables_.end() || ((l.flags & IFF_UP) != 0) == it->second) continue;
        const std::string what = l.name + ": Enable " + (it->second ? "true" : "false") + " as the ACS set it";
        if (const int e = netlink_.set_up(l.index, it->second); e != 0) {
            if (log_error_) log_error_("board linux: " + what + ": " + std::strerror(e));
        } else {
            stale_ = true;
            if (log_info_) log_info_("board linux: " + what);
        }
    }
    enables_applied_ = std::move(seen);
}

int LinuxBoard::set_enable(const Iface& i, bool up) {
    const bool was = (i.link.flags & IFF_UP) != 0;
    const std::uint32_t index = i.link.index;
    const std::string name = i.link.name;
    stale_ = true;
    if (const int e = netlink_.set_up(index, up); e != 0) return e;
    try {
        if (settings_) settings_->put(enable_key(name), up ? "true" : "false");
    } catch (const std::runtime_error&) {
        (void)netlink_.set_up(index, was);  // not kept: not applied either
        throw;
    }
    enables_[name] = up;
    enables_applied_.insert(index);  // written now: nothing to apply at its next announcement
    return 0;
}

void LinuxBoard::reboot() {
    if (const std::string err = run(options_.reboot_command); !err.empty())
        throw std::runtime_error("board linux: reboot: " + err);
}

void LinuxBoard::factory_reset() {
    // The board's own state: instance numbers start again from 1.
    const std::string file = numbers_file(options_);
    if (!file.empty() && std::remove(file.c_str()) != 0 && errno != ENOENT)
        throw std::runtime_error("board linux: factory reset: " + file + ": " + std::strerror(errno));
    numbers_ = Numbers("", "");
    // The interfaces the ACS disabled come up again: the way back to the ACS
    // may be one of them, and the reboot command may reboot nothing.  (One the
    // ACS enabled stays up until the host's own configuration says otherwise.)
    std::string failed;
    try {
        for (const Link& l : enables_.empty() ? std::vector<Link>{} : netlink_.links()) {
            const auto it = enables_.find(l.name);
            if (it == enables_.end() || it->second || (l.flags & IFF_UP) != 0) continue;
            if (const int e = netlink_.set_up(l.index, true); e != 0)
                failed += (failed.empty() ? "" : ", ") + l.name + ": " + std::strerror(e);
        }
    } catch (const std::runtime_error& e) {  // the reboot below still runs
        failed = e.what();
    }
    enables_.clear();
    enables_applied_.clear();
    reboot();
    if (!failed.empty()) throw std::runtime_error("board linux: factory reset: not brought up again: " + failed);
}

// Seconds since boot (CLOCK_BOOTTIME counts suspended time too): the same
// clock after a restart of cwmpd, so LastChange survives one.
std::int64_t LinuxBoard::steady_seconds() const {
    timespec ts{};
    ::clock_gettime(CLOCK_BOOTTIME, &ts);
    return ts.tv_sec;
}

void LinuxBoard::save_numbers() {
    if (const std::string err = numbers_.save(); !err.empty() && log_error_)
        log_error_("board linux: instance numbers not saved: " + err);
}

void LinuxBoard::refresh() {
    const auto now = std::chrono::steady_clock::now();
    if (!stale_ && now - taken_ < std::chrono::milliseconds(kSnapshotMs)) return;
    std::vector<Link> links = netlink_.links();
    std::vector<Address> addresses = netlink_.addresses();
    std::sort(links.begin(), links.end(), [](const Link& a, const Link& b) { return a.index < b.index; });
    std::vector<Numbering::Item> ip_items, eth_items;
    for (const Link& l : links) {
        ip_items.push_back({std::to_string(l.index), l.name});
        if (l.type == ARPHRD_ETHER) eth_items.push_back({std::to_string(l.index), l.name});
    }
    const auto ip_numbers = numbers_.table("Device.IP.Interface.").assign(ip_items);
    const auto eth_numbers = numbers_.table("Device.Ethernet.Interface.").assign(eth_items);
    const std::int64_t seconds = steady_seconds();
    std::vector<Iface> next;
    std::map<std::uint32_t, std::pair<std::uint8_t, std::int64_t>> since;
    std::size_t e = 0;
    std::vector<std::string> address_tables{"Device.IP.Interface."};
    for (std::size_t i = 0; i < links.size(); ++i) {
        Iface f;
        f.link = std::move(links[i]);
        f.ip_number = ip_numbers[i];
        if (f.link.type == ARPHRD_ETHER) f.eth_number = eth_numbers[e++];
        // LastChange: from when this agent saw the operational state change
        // (for an interface already up at start: from the first sight).
        const std::uint8_t state = static_cast<std::uint8_t>(f.link.operstate | ((f.link.flags & IFF_UP) ? 0x80 : 0));
        auto old = status_since_.find(f.link.index);
        since[f.link.index] = old != status_since_.end() && old->second.first == state
                                  ? old->second
                                  : std::make_pair(state, seconds);
        f.last_change = since[f.link.index].second;
        const std::string prefix = "Device.IP.Interface." + std::to_string(f.ip_number) + ".";
        for (int family : {AF_INET, AF_INET6}) {
            std::vector<Numbering::Item> items;
            std::vector<const Address*> of;
            for (const Address& a : addresses) {
                if (a.index != f.link.index || a.family != family) continue;
                const std::string key = a.address + "/" + std::to_string(a.prefix_length);
                items.push_back({key, key});
                of.push_back(&a);
            }
            const std::string table = prefix + (family == AF_INET ? "IPv4Address." : "IPv6Address.");
            address_tables.push_back(table);
            const auto n = numbers_.table(table).assign(items);
            auto& out = family == AF_INET ? f.ipv4 : f.ipv6;
            for (std::size_t k = 0; k < n.size(); ++k)
                if (n[k] != 0) out.emplace_back(n[k], *of[k]);
        }
        if (f.ip_number != 0) next.push_back(std::move(f));
    }
    numbers_.drop("Device.IP.Interface.", address_tables);  // of interfaces that are gone
    std::map<std::string, std::string, std::less<>> notes;
    for (const auto& [index, s] : since)
        notes["since." + std::to_string(index)] = std::to_string(s.first) + " " + std::to_string(s.second);
    numbers_.set_notes(std::move(notes));
    ifaces_ = std::move(next);
    status_since_ = std::move(since);
    taken_ = now;
    stale_ = false;
    save_numbers();
}

const std::vector<LinuxBoard::Iface>& LinuxBoard::interfaces() {
    refresh();
    return ifaces_;
}

const LinuxBoard::Iface& LinuxBoard::by_ip(std::uint32_t number) {
    for (const Iface& f : interfaces())
        if (f.ip_number == number) return f;
    fail("Device.IP.Interface." + std::to_string(number), "the interface is gone");
}

const LinuxBoard::Iface& LinuxBoard::by_eth(std::uint32_t number) {
    for (const Iface& f : interfaces())
        if (f.eth_number == number && number != 0) return f;
    fail("Device.Ethernet.Interface." + std::to_string(number), "the interface is gone");
}

LinkStats LinuxBoard::stats(const Iface& i) {
    auto l = netlink_.link(i.link.index);
    if (!l || !l->stats) fail("netlink link " + i.link.name, "no statistics (the interface is gone)");
    return *l->stats;
}

std::vector<std::uint32_t> LinuxBoard::number(const std::string& table, const std::vector<Numbering::Item>& items) {
    auto n = numbers_.table(table).assign(items);
    save_numbers();
    return n;
}

std::optional<std::string> LinuxBoard::key_of(const std::string& table, std::uint32_t number) {
    for (const auto& e : numbers_.table(table).entries())
        if (e.number == number) return e.key;
    return std::nullopt;
}

std::uint32_t LinuxBoard::cpu_usage() {
    const std::string path = options_.roots.proc + "/stat";
    const auto now = parse_cpu_times(read(path));
    if (!now) fail(path, "no cpu line");
    const CpuTimes before = cpu_.value_or(CpuTimes{});
    // A reading right after another measures too short a time: keep the older sample.
    if (!cpu_ || now->total - cpu_->total >= 50) cpu_ = now;
    return linux_board::cpu_usage(before, *now);
}

std::unique_ptr<LinuxBoard> make_linux_board(const std::map<std::string, std::string, std::less<>>& section,
                                             LinuxBoard::Logger log_error, platform::Settings* settings,
                                             LinuxBoard::Logger log_info) {
    return std::make_unique<LinuxBoard>(parse_options(section), std::move(log_error), settings, std::move(log_info));
}

}  // namespace cwmp::linux_board
