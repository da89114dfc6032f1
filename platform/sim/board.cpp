#include "board.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <charconv>

namespace cwmp::sim {

namespace {

const std::array<FirmwareImage, 2> kFactoryImages = {{
    {"EX4K200_VBN_4.2.1038_PROD_20250312.bin", "4.2.1038"},
    {"EX4K200_VBN_4.1.977_PROD_20241120.bin", "4.1.977"},
}};

std::string firmware_file(const SimOptions& o) { return o.state_dir + "/sim-firmware"; }
std::string request_download_file(const SimOptions& o) { return o.state_dir + "/sim-request-download"; }

// Settings keys: a parameter's instance path, or this prefix and a table's
// path for its rows ("next;1,2,5": the next number and the rows).
constexpr std::string_view kRowsKey = "rows:";

}  // namespace

SimBoard::SimBoard(Clock clock, SimOptions options, platform::Settings* settings)
    : clock_(std::move(clock)), options_(std::move(options)), images_(kFactoryImages), boot_(clock_()),
      persist_(settings) {
    // What the ACS wrote before the last restart.
    if (persist_ != nullptr) {
        for (auto& [key, value] : persist_->load()) {
            if (!key.starts_with(kRowsKey)) {
                settings_.emplace(key, std::move(value));
                continue;
            }
            Table t;
            const std::size_t semi = value.find(';');
            if (semi == std::string::npos || dm::parse(std::string_view(value).substr(0, semi), t.next) != Fault::None)
                continue;  // not ours to make sense of: the table starts as at the factory
            if (semi + 1 < value.size() && dm::parse(std::string_view(value).substr(semi + 1), t.rows) != Fault::None)
                continue;
            tables_.insert_or_assign(key.substr(kRowsKey.size()), std::move(t));
        }
    }
    // The banks as the last firmware download left them ("name version" lines).
    if (options_.state_dir.empty()) return;
    std::ifstream in(firmware_file(options_));
    for (FirmwareImage& image : images_) {
        FirmwareImage read;
        if (!(in >> read.name >> read.version)) break;
        image = read;
    }
}

platform::FileResult SimBoard::apply_file(std::string_view file_type, const std::string& path, std::string_view target_name,
                                bool& reboot) {
    if (file_type != "1 Firmware Upgrade Image") return Fault::None;  // web content, tones: kept as they are
    std::ifstream in(path);
    std::string line, version;
    bool signed_ok = true;
    if (!std::getline(in, line) || line != "EXSTB-FIRMWARE 1")
        return {Fault::DownloadFailureFileCorrupted, "not an EXSTB firmware image (no EXSTB-FIRMWARE 1 header)"};
    while (std::getline(in, line)) {
        if (line.starts_with("version: ")) version = line.substr(9);
        if (line == "signature: bad") signed_ok = false;
    }
    if (version.empty() || version.find(' ') != std::string::npos)
        return {Fault::DownloadFailureFileCorrupted, "the image has no valid version: line"};
    if (!signed_ok) return {Fault::DownloadFailureFileAuthentication, "the image's signature does not verify"};
    const std::string name = target_name.empty() ? "EX4K200_VBN_" + version + "_PROD.bin" : std::string(target_name);
    if (name.find_first_of(" \n") != std::string::npos)
        return {Fault::DownloadFailureFileCorrupted, "a target file name with a blank or a line break"};
    if (options_.state_dir.empty()) return {Fault::DownloadFailure, "nowhere to install it (no state_dir)"};
    // The new image goes into the other bank and boots next.
    const std::string file = firmware_file(options_);
    {
        std::ofstream out(file + ".new", std::ios::trunc);
        out << name << " " << version << "\n" << images_[0].name << " " << images_[0].version << "\n";
        if (!out) return Fault::DownloadFailure;
    }
    if (std::rename((file + ".new").c_str(), file.c_str()) != 0) return Fault::DownloadFailure;
    reboot = true;
    return Fault::None;
}

void SimBoard::factory_reset() {
    settings_.clear();
    tables_.clear();
}

void SimBoard::save_table(platform::Settings::Update& u, const std::string& name, const Table& t) {
    std::string value = std::to_string(t.next) + ";";
    dm::format(value, t.rows);
    u.emplace_back(std::string(kRowsKey) + name, std::move(value));
}

std::vector<platform::AutonomousTransfer> SimBoard::finished_autonomous_transfers() {
    request_downloads_asked_for();
    return {};
}

// The simulated box has no updater of its own that could find it needs a
// file, so its wish comes from outside: a file "sim-request-download" in
// the state directory (a first line FileType, then "Name=Value" lines of
// FileTypeArg), as a test or a developer writes it.  The agent looks here
// at every step (at most notification_poll_interval apart); the file is
// removed once handed over, and the request is then the agent's to keep.
void SimBoard::request_downloads_asked_for() {
    if (options_.state_dir.empty()) return;
    const std::string path = request_download_file(options_);
    if (::access(path.c_str(), F_OK) != 0) return;  // the usual case: no stream set up for nothing
    std::ifstream in(path);
    if (!in) return;
    std::string file_type, line;
    DownloadArgs args;
    std::getline(in, file_type);
    while (std::getline(in, line)) {
        const std::size_t eq = line.find('=');
        if (eq != std::string::npos) args.emplace_back(line.substr(0, eq), line.substr(eq + 1));
    }
    in.close();
    std::remove(path.c_str());
    (void)request_download(file_type, args);  // the agent logs a refusal
}

platform::FileResult SimBoard::produce_file(std::string_view file_type, const std::string& path) {
    if (file_type != "2 Vendor Log File" && !file_type.starts_with("4 Vendor Log File "))
        return {Fault::UploadFailure, "the simulated box produces no " + std::string(file_type)};
    std::ofstream out(path, std::ios::trunc);
    out << "EXSTB-4K log, up " << uptime() << " s\n"
        << "kernel: Linux version 5.15 (exstb)\n"
        << "tuner1: locked " << locked_seconds(1, boot_, now()) << " s since boot\n";
    if (!out) return {Fault::UploadFailure, path + ": cannot write"};
    return Fault::None;
}

std::uint32_t SimBoard::uptime() const {
    std::int64_t up = now() - boot_;
    return up < 0 ? 0 : static_cast<std::uint32_t>(up);
}

std::uint64_t SimBoard::counter(std::uint64_t per_second, std::uint32_t instance) const {
    return per_second * uptime() + 1000ULL * instance;
}

bool SimBoard::tuner_locked(std::uint32_t instance) const {
    if (instance != 1) return true;
    return uptime() % kLockCycle < kLockedFor;
}

std::uint32_t SimBoard::locked_seconds(std::uint32_t tuner, std::int64_t from, std::int64_t to) const {
    from = std::max(from, boot_);
    if (to <= from) return 0;
    if (tuner != 1) return static_cast<std::uint32_t>(to - from);
    auto locked_since_boot = [&](std::int64_t t) {
        const std::int64_t x = t - boot_;
        return x / kLockCycle * kLockedFor + std::min(x % kLockCycle, kLockedFor);
    };
    return static_cast<std::uint32_t>(locked_since_boot(to) - locked_since_boot(from));
}

SimBoard::Table& SimBoard::table(const std::string& name, std::uint32_t initial) {
    auto [it, inserted] = tables_.try_emplace(name);
    if (inserted) {
        it->second.rows = numbered(initial);
        it->second.next = initial + 1;
    }
    return it->second;
}

std::vector<std::uint32_t> SimBoard::rows(const std::string& name, std::uint32_t initial) const {
    auto it = tables_.find(name);
    return it == tables_.end() ? numbered(initial) : it->second.rows;
}

std::uint32_t SimBoard::add_row(const std::string& name, std::uint32_t initial, std::uint32_t max_rows) {
    Table t = table(name, initial);
    if (t.rows.size() >= max_rows) return 0;
    const std::uint32_t number = t.next++;
    t.rows.push_back(number);
    if (persist_ != nullptr) {  // throws: the row is not added
        platform::Settings::Update u;
        save_table(u, name, t);
        persist_->update(u);
    }
    tables_[name] = std::move(t);
    return number;
}

bool SimBoard::remove_row(const std::string& name, std::uint32_t initial, std::uint32_t number) {
    Table t = table(name, initial);
    auto it = std::find(t.rows.begin(), t.rows.end(), number);
    if (it == t.rows.end()) return false;
    t.rows.erase(it);
    // The row's settings go with it.
    const std::string prefix = name + std::to_string(number) + ".";
    std::vector<std::string> gone;
    for (auto s = settings_.lower_bound(prefix); s != settings_.end() && s->first.starts_with(prefix); ++s)
        gone.push_back(s->first);
    if (persist_ != nullptr) {  // throws: the row stays
        platform::Settings::Update u;
        save_table(u, name, t);
        for (const std::string& key : gone) u.emplace_back(key, std::nullopt);
        persist_->update(u);
    }
    for (const std::string& key : gone) settings_.erase(key);
    tables_[name] = std::move(t);
    return true;
}

std::string instance_path(std::string_view path_template, const dm::Instance& in) {
    std::string out;
    out.reserve(path_template.size() + 8 * in.numbers.size());
    std::size_t pos = 0;
    for (std::uint32_t n : in.numbers) {
        const std::size_t at = path_template.find("{i}", pos);
        if (at == std::string_view::npos) break;
        out.append(path_template, pos, at - pos);
        char buf[12];
        out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
        pos = at + 3;
    }
    out.append(path_template, pos);
    return out;
}

std::vector<std::uint32_t> numbered(std::uint32_t n) {
    std::vector<std::uint32_t> v(n);
    for (std::uint32_t i = 0; i < n; ++i) v[i] = i + 1;
    return v;
}

std::uint32_t wave(std::uint32_t t, std::uint32_t period, std::uint32_t amplitude) {
    const std::uint32_t half = period / 2;
    const std::uint32_t phase = t % period;
    const std::uint64_t rise = phase < half ? phase : period - phase;
    return static_cast<std::uint32_t>(rise * amplitude / half);
}

}  // namespace cwmp::sim
