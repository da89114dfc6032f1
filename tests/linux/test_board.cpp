// The Linux board behind the engine, its roots pointed at a fixture tree the
// test writes: values as the files say, a missing kernel file a 9002 whose
// log line names the path, bad [board] keys refused by name.
#include <doctest/doctest.h>

#include <linux/magic.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/platform_api.h"  // cwmp::gen::schema of linux-host
#include "cwmp/store/store.h"
#include "../unit/support.h"

namespace fs = std::filesystem;
using cwmp::linux_board::LinuxBoard;

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

// A host as files: /proc, /sys and /etc under one directory.
struct Fixture {
    test::TempDir dir{"linux-board"};
    fs::path root = dir.path;
    std::vector<std::string> logged;
    std::unique_ptr<LinuxBoard> board;
    std::unique_ptr<cwmp::dm::Context> ctx;
    std::unique_ptr<cwmp::store::Store> store;
    std::unique_ptr<cwmp::dm::Engine> engine;

    Fixture() {
        write(root / "proc/meminfo", "MemTotal:        2031616 kB\nMemFree:  100 kB\nMemAvailable:    1048576 kB\n");
        write(root / "proc/uptime", "12345.67 40000.00\n");
        write(root / "proc/stat", "cpu  100 0 100 700 100 0 0 0 0 0\n");
        write(root / "proc/sys/kernel/hostname", "fixture-host\n");
        write(root / "proc/sys/kernel/osrelease", "6.1.0-fixture\n");
        write(root / "proc/sys/kernel/random/boot_id", "0b7d7f6e-0000-4000-8000-000000000001\n");
        write(root / "proc/4242/stat",
              "4242 (fixtured) R 1 4242 4242 0 -1 0 0 0 0 0 300 200 0 0 25 5 1 0 100 10485760 256 0 0 0 0 0 0\n");
        write(root / "proc/self/mountinfo", "30 1 7:9 / " + (root / "vol").string() + " rw - ext4 /dev/fixture0 rw\n"
                                            "31 1 0:5 / /proc rw - proc proc rw\n");
        fs::create_directories(root / "vol");
        write(root / "sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n");
        write(root / "sys/class/thermal/thermal_zone0/temp", "45500\n");
        write(root / "sys/class/thermal/thermal_zone1/type", "acpitz\n");  // no temp: cannot be read
        write(root / "sys/block/vda/size", "2097152\n");                   // 1 GiB
        write(root / "sys/block/vda/removable", "0\n");
        write(root / "sys/block/vda/device/model", "Fixture Disk\n");
        write(root / "sys/block/loop7/size", "0\n");                       // empty loop device: left out
        write(root / "etc/os-release", "PRETTY_NAME=\"Fixture OS 7\"\nVERSION_ID=\"7.1\"\n");
        write(root / "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        write(root / "etc/resolv.conf", "nameserver 192.0.2.53\nnameserver 2001:db8::53\n");
        write(root / "etc/localtime", std::string("TZif2") + std::string(39, '\0') + "\nCET-1CEST,M3.5.0,M10.5.0/3\n");
        fs::create_directories(root / "state");
    }

    void start(std::map<std::string, std::string, std::less<>> extra = {}) {
        std::map<std::string, std::string, std::less<>> section = {
            {"proc_root", (root / "proc").string()}, {"sys_root", (root / "sys").string()},
            {"etc_root", (root / "etc").string()},   {"state_dir", (root / "state").string()},
            {"reboot_command", "touch " + (root / "rebooted").string()}};
        for (auto& [k, v] : extra) section[k] = v;
        board = cwmp::linux_board::make_linux_board(section, [this](std::string_view m) { logged.emplace_back(m); });
        ctx = std::make_unique<cwmp::dm::Context>(*board);
        store = std::make_unique<cwmp::store::Store>(dir.file());
        engine = std::make_unique<cwmp::dm::Engine>(cwmp::gen::schema, *ctx, *store);
    }

    // name -> value of a GetParameterValues; the fault code through `fault`.
    std::map<std::string, std::string> get(const std::string& name, cwmp::Fault* fault = nullptr) {
        std::map<std::string, std::string> out;
        const std::vector<std::string> names{name};
        const auto r = engine->get_values(names, [&](std::string_view n, const cwmp::dm::Param&, std::string_view v) {
            out.emplace(n, v);
        });
        if (fault) *fault = r.code;
        else REQUIRE_MESSAGE(r, r.message);
        return out;
    }
};

}  // namespace

TEST_CASE("linux board: DeviceInfo from the fixture's files") {
    Fixture f;
    f.start({{"manufacturer", "Example Ltd"}});
    auto v = f.get("Device.DeviceInfo.");
    CHECK(v["Device.DeviceInfo.Manufacturer"] == "Example Ltd");  // configuration wins
    CHECK(v["Device.DeviceInfo.SerialNumber"] == "0123456789abcdef0123456789abcdef");  // no DMI: machine-id
    CHECK(v["Device.DeviceInfo.SoftwareVersion"] == "7.1");
    CHECK(v["Device.DeviceInfo.Description"].find("6.1.0-fixture (Fixture OS 7)") != std::string::npos);
    CHECK(v["Device.DeviceInfo.HostName"] == "fixture-host");
    CHECK(v["Device.DeviceInfo.UpTime"] == "12345");
    CHECK(v["Device.DeviceInfo.ProductClass"] == "linux-host");
    CHECK(v["Device.DeviceInfo.MemoryStatus.Total"] == "2031616");
    CHECK(v["Device.DeviceInfo.MemoryStatus.Free"] == "1048576");
    CHECK(v["Device.DeviceInfo.ProcessStatus.CPUUsage"] == "20");  // 200 busy of 1000 since boot
    CHECK(v["Device.DeviceInfo.ProcessStatus.ProcessNumberOfEntries"] == "1");
    CHECK(v["Device.DeviceInfo.ProcessStatus.Process.4242.PID"] == "4242");
    CHECK(v["Device.DeviceInfo.ProcessStatus.Process.4242.Command"] == "fixtured");
    CHECK(v["Device.DeviceInfo.ProcessStatus.Process.4242.State"] == "Running");
    CHECK(v["Device.DeviceInfo.ProcessStatus.Process.4242.Priority"] == "25");
    CHECK(v["Device.DeviceInfo.ProcessStatus.Process.4242.CPUTime"] ==
          std::to_string(500 * 1000 / sysconf(_SC_CLK_TCK)));
    CHECK(v["Device.DeviceInfo.ProcessStatus.Process.4242.Size"] == std::to_string(256 * sysconf(_SC_PAGESIZE) / 1024));
    CHECK(v["Device.DeviceInfo.TemperatureStatus.TemperatureSensor.1.Name"] == "x86_pkg_temp");
    CHECK(v["Device.DeviceInfo.TemperatureStatus.TemperatureSensor.1.Value"] == "45");
    CHECK(v["Device.DeviceInfo.TemperatureStatus.TemperatureSensor.1.Status"] == "Enabled");
    CHECK(v["Device.DeviceInfo.TemperatureStatus.TemperatureSensor.2.Status"] == "Error");
    CHECK(v["Device.DeviceInfo.TemperatureStatus.TemperatureSensor.2.Value"] == "-274");
}

TEST_CASE("linux board: DNS, Time, storage from the fixture's files") {
    Fixture f;
    f.start();
    auto v = f.get("Device.");
    CHECK(v["Device.DNS.Client.ServerNumberOfEntries"] == "2");
    CHECK(v["Device.DNS.Client.Server.1.DNSServer"] == "192.0.2.53");
    CHECK(v["Device.DNS.Client.Server.2.DNSServer"] == "2001:db8::53");
    CHECK(v["Device.Time.LocalTimeZone"] == "CET-1CEST,M3.5.0,M10.5.0/3");
    CHECK(v["Device.Time.ClientNumberOfEntries"] == "0");  // no NTP client configured
    write(f.root / "etc/chrony/chrony.conf", "pool 2.debian.pool.ntp.org iburst\nserver 192.0.2.123\n");
    auto t = f.get("Device.Time.");
    CHECK(t["Device.Time.Client.1.Servers"] == "2.debian.pool.ntp.org,192.0.2.123");
    write(f.root / "etc/systemd/timesyncd.conf", "[Time]\nNTP=ntp.example.net\n");  // timesyncd's first
    write(f.root / "etc/systemd/timesyncd.conf.d/lab.conf", "[Time]\nNTP=192.0.2.124\n");
    t = f.get("Device.Time.");
    CHECK(t["Device.Time.Client.1.Servers"] == "ntp.example.net,192.0.2.124");
    CHECK((t["Device.Time.Client.1.Status"] == "Synchronized" || t["Device.Time.Client.1.Status"] == "Unsynchronized"));
    CHECK(t["Device.Time.Client.1.Status"] == t["Device.Time.Status"]);
    CHECK(v["Device.RootDataModelVersion"] == std::string(cwmp::gen::schema.root_model.substr(7)));
    const std::string media = "Device.Services.StorageService.1.PhysicalMedium.";
    CHECK(v["Device.Services.StorageService.1.PhysicalMediumNumberOfEntries"] == "1");
    CHECK(v[media + "1.Name"] == "vda");
    CHECK(v[media + "1.Capacity"] == "1024");
    CHECK(v[media + "1.Model"] == "Fixture Disk");
    CHECK(v[media + "1.Removable"] == "false");
    const std::string vol = "Device.Services.StorageService.1.LogicalVolume.1.";
    struct statvfs s{};
    REQUIRE(statvfs((f.root / "vol").c_str(), &s) == 0);
    CHECK(v[vol + "Name"] == (f.root / "vol").string().substr(0, 64));
    CHECK(v[vol + "FileSystem"] == "ext4");
    CHECK(v[vol + "Capacity"] == std::to_string(static_cast<std::uint64_t>(s.f_blocks) * s.f_frsize >> 20));

    // A nameserver goes, another comes: the new one gets a new number.
    write(f.root / "etc/resolv.conf", "nameserver 2001:db8::53\nnameserver 198.51.100.53\n");
    v = f.get("Device.DNS.Client.");
    CHECK(v.count("Device.DNS.Client.Server.1.DNSServer") == 0);
    CHECK(v["Device.DNS.Client.Server.2.DNSServer"] == "2001:db8::53");
    CHECK(v["Device.DNS.Client.Server.3.DNSServer"] == "198.51.100.53");
}

TEST_CASE("linux board: GetParameterNames and GetParameterValues agree on every object; values valid") {
    Fixture f;
    f.start();
    std::vector<std::pair<std::string, bool>> all;
    REQUIRE(f.engine->get_names("Device.", false, [&](std::string_view n, bool w) { all.emplace_back(n, w); }));
    const auto values = f.get("Device.");
    std::vector<std::string> params;
    for (const auto& [n, w] : all)
        if (!n.ends_with(".")) params.push_back(n);
    std::vector<std::string> got;
    for (const auto& [n, v] : values) got.push_back(n);
    std::sort(params.begin(), params.end());
    CHECK(params == got);  // the same set (values come back sorted by the map)
    std::size_t objects = 0;
    for (const auto& entry : all) {
        const std::string& path = entry.first;  // not a structured binding: doctest's macros capture it
        if (!path.ends_with(".")) continue;
        ++objects;
        CAPTURE(path);
        std::vector<std::string> below;
        REQUIRE(f.engine->get_names(path, false, [&](std::string_view n, bool) {
            if (!n.ends_with(".")) below.emplace_back(n);
        }));
        std::vector<std::string> read;
        const std::vector<std::string> names{path};
        REQUIRE(f.engine->get_values(names, [&](std::string_view n, const cwmp::dm::Param& p, std::string_view v) {
            read.emplace_back(n);
            CHECK_MESSAGE(cwmp::dm::validate(p, v) == cwmp::Fault::None, n << " = '" << v << "'");
        }));
        CHECK(below == read);
    }
    CHECK(objects > 20);
    // Writable: an interface's Enable and what the agent stores, nothing else.
    for (const auto& [name, w] : all) {
        const std::string& n = name;  // doctest's macros capture it: not a structured binding (clang 14)
        if (!w || n.ends_with(".") || n.starts_with("Device.ManagementServer.") ||
            n.starts_with("Device.IP.Diagnostics.") || n == "Device.DeviceInfo.ProvisioningCode")
            continue;
        CHECK_MESSAGE((n.starts_with("Device.IP.Interface.") || n.starts_with("Device.Ethernet.Interface.")), n);
        CHECK_MESSAGE(n.ends_with(".Enable"), n);
    }
}

TEST_CASE("linux board: a missing kernel file is a 9002 naming its path in the log") {
    Fixture f;
    f.start();
    for (const char* file : {"proc/meminfo", "proc/uptime", "proc/stat", "proc/self/mountinfo"}) {
        CAPTURE(file);
        const std::string path = (f.root / file).string();
        fs::rename(path, path + ".away");
        f.logged.clear();
        cwmp::Fault fault = cwmp::Fault::None;
        (void)f.get("Device.", &fault);
        CHECK(fault == cwmp::Fault::InternalError);
        REQUIRE(f.logged.size() >= 1);
        CHECK(f.logged[0].find(path) != std::string::npos);
        fs::rename(path + ".away", path);
        (void)f.get("Device.");  // back: answers again
    }
    // Garbage where a number belongs: the same.
    write(f.root / "proc/uptime", "up a while\n");
    f.logged.clear();
    cwmp::Fault fault = cwmp::Fault::None;
    (void)f.get("Device.DeviceInfo.UpTime", &fault);
    CHECK(fault == cwmp::Fault::InternalError);
    REQUIRE(f.logged.size() == 1);
    CHECK(f.logged[0].find((f.root / "proc/uptime").string()) != std::string::npos);
}

TEST_CASE("linux board: a disk, a filesystem or a process gone between listing and reading answers as listed") {
    Fixture f;
    f.start();
    using namespace cwmp::platform;
    using cwmp::dm::Instance;
    using cwmp::dm::Tag;
    const std::uint32_t service[] = {1};
    const Instance storage{service};
    const auto media = instances(*f.ctx, storage, Tag<cwmp::model::StorageService_PhysicalMedium>{});
    const auto vols = instances(*f.ctx, storage, Tag<cwmp::model::StorageService_LogicalVolume>{});
    const auto procs = instances(*f.ctx, Instance{}, Tag<cwmp::model::DeviceInfo_ProcessStatus_Process>{});
    REQUIRE(media.size() == 1);
    REQUIRE(vols.size() == 1);
    REQUIRE(std::find(procs.begin(), procs.end(), 4242u) != procs.end());
    // Unplugged, unmounted, ended: after the listing, before the reads.
    fs::remove_all(f.root / "sys/block/vda");
    write(f.root / "proc/self/mountinfo", "31 1 0:5 / /proc rw - proc proc rw\n");
    fs::remove_all(f.root / "proc/4242");
    const std::uint32_t medium[] = {1, media[0]}, volume[] = {1, vols[0]}, process[] = {4242};
    CHECK(read(*f.ctx, Instance{medium}, Tag<cwmp::model::StorageService_PhysicalMedium>{}).Name.value == "vda");
    CHECK(read(*f.ctx, Instance{volume}, Tag<cwmp::model::StorageService_LogicalVolume>{}).FileSystem.value == "ext4");
    CHECK(read(*f.ctx, Instance{process}, Tag<cwmp::model::DeviceInfo_ProcessStatus_Process>{}).Command.value == "fixtured");
    // The next request lists again: they are gone, and the whole tree reads.
    const auto v = f.get("Device.");
    CHECK(v.at("Device.Services.StorageService.1.PhysicalMediumNumberOfEntries") == "0");
    CHECK(v.at("Device.Services.StorageService.1.LogicalVolumeNumberOfEntries") == "0");
    CHECK(v.count("Device.DeviceInfo.ProcessStatus.Process.4242.PID") == 0);
}

TEST_CASE("linux board: a filesystem that cannot be measured is left out and said once; a zone without a type named by its directory") {
    Fixture f;
    // A mount point since deleted (the kernel then shows it with " (deleted)"),
    // next to the fixture's good volume.
    write(f.root / "proc/self/mountinfo", "30 1 7:9 / " + (f.root / "vol").string() + " rw - ext4 /dev/fixture0 rw\n"
                                          "32 1 8:1 / " + (f.root / "gone").string() + "\\040(deleted) rw - ext4 /dev/sdz1 rw\n");
    fs::create_directories(f.root / "sys/class/thermal/thermal_zone2");  // a zone without a type
    f.start();
    auto v = f.get("Device.");
    CHECK(v.at("Device.DeviceInfo.TemperatureStatus.TemperatureSensor.3.Name") == "thermal_zone2");
    CHECK(v.at("Device.Services.StorageService.1.LogicalVolumeNumberOfEntries") == "1");
    CHECK(v.at("Device.Services.StorageService.1.LogicalVolume.1.FileSystem") == "ext4");
    v = f.get("Device.Services.");
    const auto said = std::count_if(f.logged.begin(), f.logged.end(), [&](const std::string& m) {
        return m.find((f.root / "gone").string()) != std::string::npos && m.find("left out") != std::string::npos;
    });
    CHECK(said == 1);
}

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
bool in_memory(const fs::path& p) {
    struct statfs s{};
    REQUIRE(::statfs(p.c_str(), &s) == 0);
    return s.f_type == TMPFS_MAGIC || s.f_type == RAMFS_MAGIC;
}
}  // namespace

TEST_CASE("linux board: VendorLogFile lists the configured log files that exist; Upload sends them") {
    Fixture f;
    // Nothing configured: no instances, and an Upload of a log is refused.
    f.start();
    auto none = f.get("Device.DeviceInfo.");
    CHECK(none["Device.DeviceInfo.VendorLogFileNumberOfEntries"] == "0");
    CHECK(f.board->produce_file("2 Vendor Log File", (f.root / "staged").string()) == cwmp::Fault::UploadFailure);

    const fs::path syslog = f.root / "log/syslog", messages = f.root / "log/messages", gone = f.root / "log/gone";
    write(syslog, "Dec  2 05:00:01 host CRON[1]: ran\n");
    write(messages, std::string("binary \0 and text\n", 18));
    // A file in memory when the machine has a tmpfs /dev/shm: not persistent.
    const fs::path shm = "/dev/shm/cwmp-test-log-" + std::to_string(::getpid());
    const bool have_shm = fs::is_directory("/dev/shm") && in_memory("/dev/shm");
    if (have_shm) write(shm, "in memory\n");
    std::string list = gone.string() + ", " + syslog.string() + "," + messages.string();
    if (have_shm) list += ", " + shm.string();
    f.start({{"vendor_log_files", list}});
    auto v = f.get("Device.DeviceInfo.");
    CHECK(v["Device.DeviceInfo.VendorLogFileNumberOfEntries"] == (have_shm ? "3" : "2"));  // the missing one: none
    CHECK(v["Device.DeviceInfo.VendorLogFile.1.Name"] == syslog.string());
    CHECK(v["Device.DeviceInfo.VendorLogFile.2.Name"] == messages.string());
    CHECK(v["Device.DeviceInfo.VendorLogFile.1.MaximumSize"] == "0");  // unknown to the host: 0 (TR-181)
    CHECK(v["Device.DeviceInfo.VendorLogFile.1.Persistent"] == (in_memory(syslog) ? "false" : "true"));
    if (have_shm) {
        CHECK(v["Device.DeviceInfo.VendorLogFile.3.Name"] == shm.string());
        CHECK(v["Device.DeviceInfo.VendorLogFile.3.Persistent"] == "false");
    }
    for (const auto& [name, value] : v) CHECK(name.find("VendorLogFile.4.") == std::string::npos);

    // Upload: "2 Vendor Log File" is the first that exists, "4 Vendor Log File <i>" instance i.
    const fs::path staged = f.root / "staged";
    REQUIRE(f.board->produce_file("2 Vendor Log File", staged.string()) == cwmp::Fault::None);
    CHECK(slurp(staged) == slurp(syslog));
    REQUIRE(f.board->produce_file("4 Vendor Log File 2", staged.string()) == cwmp::Fault::None);
    CHECK(slurp(staged) == std::string("binary \0 and text\n", 18));
    CHECK(f.board->produce_file("4 Vendor Log File 9", staged.string()) == cwmp::Fault::UploadFailure);
    // The cause names what is missing (it ends up in TransferComplete's FaultString).
    CHECK(f.board->produce_file("4 Vendor Log File 9", staged.string()).cause ==
          "no Device.DeviceInfo.VendorLogFile.9");
    CHECK(f.board->produce_file("3 Vendor Configuration File", staged.string()) == cwmp::Fault::UploadFailure);

    // Larger than the bound: its last kMaxLogUpload bytes.
    {
        std::ofstream big(syslog, std::ios::binary | std::ios::trunc);
        const std::string line(1023, 'x');
        for (std::uint64_t i = 0; i < cwmp::linux_board::kMaxLogUpload / 1024 + 10; ++i) big << line << (i % 10);
    }
    REQUIRE(f.board->produce_file("2 Vendor Log File", staged.string()) == cwmp::Fault::None);
    CHECK(fs::file_size(staged) == cwmp::linux_board::kMaxLogUpload);
    const std::string whole = slurp(syslog), sent = slurp(staged);
    CHECK(whole.substr(whole.size() - sent.size()) == sent);

    // No longer a file (a directory where it was): the instance is gone; 9011 naming it.
    fs::remove(messages);
    fs::create_directories(messages);
    f.logged.clear();
    CHECK(f.board->produce_file("4 Vendor Log File 2", staged.string()) == cwmp::Fault::UploadFailure);
    REQUIRE(f.logged.size() == 1);
    CHECK(f.logged[0].find("VendorLogFile.2") != std::string::npos);
    CHECK(f.get("Device.DeviceInfo.").count("Device.DeviceInfo.VendorLogFile.2.Name") == 0);
    // Gone: the first configured file is named with the cause.
    fs::remove(syslog);
    fs::remove(messages);
    if (have_shm) fs::remove(shm);
    f.logged.clear();
    CHECK(f.board->produce_file("2 Vendor Log File", staged.string()) == cwmp::Fault::UploadFailure);
    REQUIRE(f.logged.size() == 1);
    CHECK(f.logged[0].find(gone.string()) != std::string::npos);
    CHECK(f.get("Device.DeviceInfo.")["Device.DeviceInfo.VendorLogFileNumberOfEntries"] == "0");

    // Bad lists stop the start by name.
    for (const char* bad : {"log/relative", "/a,,/b", "/a, /a"})
        CHECK_THROWS_WITH_AS(f.start({{"vendor_log_files", bad}}), doctest::Contains("vendor_log_files"),
                             cwmp::linux_board::BoardConfigError);
    CHECK_THROWS_WITH_AS(f.start({{"vendor_log_files", "/" + std::string(64, 'l')}}), doctest::Contains("64"),
                         cwmp::linux_board::BoardConfigError);
}

TEST_CASE("linux board: a bad [board] key or value stops it by name") {
    Fixture f;
    CHECK_THROWS_WITH_AS(f.start({{"no_such_key", "1"}}), doctest::Contains("no_such_key"),
                         cwmp::linux_board::BoardConfigError);
    CHECK_THROWS_WITH_AS(f.start({{"manufacturer_oui", "00005e"}}), doctest::Contains("manufacturer_oui"),
                         cwmp::linux_board::BoardConfigError);
}

TEST_CASE("linux board: boot_id() is the kernel's, read from proc_root at each call") {
    Fixture f;
    f.start();
    const cwmp::platform::Board& seam = *f.board;  // through the vendor contract, as the agent asks
    CHECK(seam.boot_id() == "0b7d7f6e-0000-4000-8000-000000000001");
    // A new boot of the host: the agent sees the new id at its next start.
    write(f.root / "proc/sys/kernel/random/boot_id", "0b7d7f6e-0000-4000-8000-000000000002\n");
    CHECK(seam.boot_id() == "0b7d7f6e-0000-4000-8000-000000000002");
    // Not readable: the board cannot tell (every start of cwmpd is then a boot).
    fs::remove(f.root / "proc/sys/kernel/random/boot_id");
    CHECK(seam.boot_id().empty());
}

TEST_CASE("linux board: reboot and factory reset run the command; the reset removes the board's files") {
    Fixture f;
    f.start();
    (void)f.get("Device.IP.");  // numbers the interfaces: the board's file exists
    const fs::path numbers = f.root / "state/linux-board.numbers";
    CHECK(fs::exists(numbers));
    f.board->reboot();
    CHECK(fs::exists(f.root / "rebooted"));
    fs::remove(f.root / "rebooted");
    f.board->factory_reset();
    CHECK_FALSE(fs::exists(numbers));
    CHECK(fs::exists(f.root / "rebooted"));
    Fixture g;
    g.start({{"reboot_command", "exit 3"}});
    CHECK_THROWS_WITH_AS(g.board->reboot(), doctest::Contains("exit 3"), std::runtime_error);
}

TEST_CASE("linux board: the default reboot command is systemctl reboot, and it is what runs") {
    CHECK(cwmp::linux_board::parse_options({}).reboot_command == "systemctl reboot");
    Fixture f;
    f.start();
    // The section without reboot_command, as cwmpd passes one that does not set it.
    std::map<std::string, std::string, std::less<>> section = {
        {"proc_root", (f.root / "proc").string()}, {"sys_root", (f.root / "sys").string()},
        {"etc_root", (f.root / "etc").string()}, {"state_dir", (f.root / "state").string()}};
    auto board = cwmp::linux_board::make_linux_board(section);
    // REQUIRE: a command naming a path would reach the host's systemctl below.
    REQUIRE(board->options().reboot_command == "systemctl reboot");
    // Run it with PATH holding only a stand-in systemctl that records its
    // arguments: the host's own systemctl cannot be found, so nothing reboots.
    const fs::path bin = f.root / "bin";
    write(bin / "systemctl", "#!/bin/sh\necho \"$@\" >> " + (f.root / "systemctl.args").string() + "\n");
    fs::permissions(bin / "systemctl", fs::perms::owner_all);
    struct PathFor {
        std::string saved;
        explicit PathFor(const std::string& path) : saved(std::getenv("PATH") ? std::getenv("PATH") : "") {
            REQUIRE(::setenv("PATH", path.c_str(), 1) == 0);
        }
        ~PathFor() { ::setenv("PATH", saved.c_str(), 1); }
    } only(bin.string());
    REQUIRE(std::string(std::getenv("PATH")) == bin.string());
    board->reboot();
    std::ifstream in(f.root / "systemctl.args");
    std::string args;
    std::getline(in, args);
    CHECK(args == "reboot");
}
