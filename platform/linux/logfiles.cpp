// Device.DeviceInfo.VendorLogFile.{i}: the host's log files that [board]
// vendor_log_files lists, and the board's Upload of them.
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "board.h"
#include "cwmp/platform/deviceinfo.h"

namespace cwmp::linux_board {

namespace {

const std::string kTable = "Device.DeviceInfo.VendorLogFile.";

bool is_regular(const std::string& path) {
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::vector<std::pair<std::uint32_t, std::string>> LinuxBoard::log_files() {
    std::vector<Numbering::Item> items;
    for (const std::string& f : options_.vendor_log_files)
        if (is_regular(f)) items.push_back({f, f});
    const std::vector<std::uint32_t> numbers = number(kTable, items);
    std::vector<std::pair<std::uint32_t, std::string>> out;
    for (std::size_t i = 0; i < items.size() && i < numbers.size(); ++i) out.emplace_back(numbers[i], items[i].key);
    std::sort(out.begin(), out.end());
    return out;
}

platform::FileResult LinuxBoard::produce_file(std::string_view file_type, const std::string& path) {
    auto refuse = [this](const std::string& what) {
        if (log_error_) log_error_("Upload: " + what);
        return platform::FileResult(Fault::UploadFailure, what);
    };
    std::string source;
    if (file_type == "2 Vendor Log File") {
        if (options_.vendor_log_files.empty()) return refuse("no vendor_log_files configured in [board]");
        const auto files = log_files();
        // None exists: name the first configured one, the file the upload would have sent.
        if (files.empty()) return refuse(options_.vendor_log_files.front() + ": " + std::strerror(ENOENT));
        source = files.front().second;
    } else if (file_type.starts_with("4 Vendor Log File ")) {
        const auto n = to_u64(file_type.substr(18));
        if (!n) return refuse("not a VendorLogFile instance: " + std::string(file_type));
        (void)log_files();  // numbers as of now
        const auto key = *n <= UINT32_MAX ? key_of(kTable, static_cast<std::uint32_t>(*n)) : std::nullopt;
        if (!key) return refuse("no Device.DeviceInfo.VendorLogFile." + std::to_string(*n));
        source = *key;
    } else {
        return refuse("the Linux board produces no " + std::string(file_type));
    }
    std::ifstream in(source, std::ios::binary | std::ios::ate);
    if (!in) return refuse(source + ": " + std::strerror(errno));
    const std::streamoff size = in.tellg();
    // The newest part of a large log: its last kMaxLogUpload bytes.
    const std::streamoff skip = size > static_cast<std::streamoff>(kMaxLogUpload)
                                    ? size - static_cast<std::streamoff>(kMaxLogUpload) : 0;
    in.seekg(skip);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return refuse(path + ": " + std::strerror(errno));
    char buffer[65536];
    std::uint64_t left = kMaxLogUpload;  // a file still growing stops at the bound too
    while (left > 0) {
        in.read(buffer, static_cast<std::streamsize>(std::min<std::uint64_t>(sizeof buffer, left)));
        if (in.gcount() <= 0) break;
        out.write(buffer, in.gcount());
        left -= static_cast<std::uint64_t>(in.gcount());
    }
    if (in.bad()) return refuse(source + ": read error");
    out.close();
    if (!out) return refuse(path + ": write error");
    return Fault::None;
}

}  // namespace cwmp::linux_board

namespace cwmp::platform {

using model::DeviceInfo_VendorLogFile;

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<DeviceInfo_VendorLogFile>) {
    std::vector<std::uint32_t> out;
    for (const auto& [number, path] : linux_board::board(ctx).log_files()) out.push_back(number);
    return out;
}

DeviceInfo_VendorLogFile read(Context& ctx, const Instance& in, Tag<DeviceInfo_VendorLogFile>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto path = b.key_of(linux_board::kTable, linux_board::last(in));
    if (!path) b.fail(linux_board::kTable + std::to_string(linux_board::last(in)), "no such log file");
    struct statfs fs{};
    if (::statfs(path->c_str(), &fs) != 0) b.fail(*path, std::string("statfs: ") + std::strerror(errno));
    // Persistent unless it lives in memory (tmpfs, ramfs: /run, /dev/shm).
    const bool in_memory = fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC;
    return {
        // The host does not know the most a log file may grow to (rotation
        // is logrotate's or journald's business): 0, as TR-181 says.
        .MaximumSize = 0,
        .Name = *path,
        .Persistent = !in_memory,
    };
}

}  // namespace cwmp::platform
