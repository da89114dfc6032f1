// The example board: a device that knows its identity from its [board]
// section, its uptime from the clock, and keeps the ProvisioningCode the ACS
// writes in the Settings libcwmp offers it (so a restart keeps it).
//
// [board] keys: serial_number (required), software_version (default 1.0).
#include <memory>
#include <string>

#include "cwmp/platform/board.h"
#include "cwmp/platform_api.h"

namespace cwmp::platform {

namespace {

class ExampleBoard final : public Board {
public:
    ExampleBoard(const BoardSetup& setup, std::string serial, std::string version)
        : clock_(setup.clock), settings_(setup.settings), serial_(std::move(serial)),
          version_(std::move(version)), boot_(clock_()) {
        const auto saved = settings_.load();
        if (auto it = saved.find(kProvisioningCode); it != saved.end()) provisioning_code_ = it->second;
    }

    const std::string& serial() const { return serial_; }
    const std::string& version() const { return version_; }
    std::uint32_t uptime() const { return static_cast<std::uint32_t>(clock_() - boot_); }
    const std::string& provisioning_code() const { return provisioning_code_; }
    void set_provisioning_code(const std::string& code) {
        settings_.put(kProvisioningCode, code);  // first durable, then in effect
        provisioning_code_ = code;
    }
    void factory_reset() override { provisioning_code_.clear(); }

private:
    static constexpr const char* kProvisioningCode = "Device.DeviceInfo.ProvisioningCode";
    std::function<std::int64_t()> clock_;
    Settings& settings_;
    std::string serial_, version_, provisioning_code_;
    std::int64_t boot_;
};

ExampleBoard& board(Context& ctx) { return ctx.board_as<ExampleBoard>(); }

}  // namespace

model::Device read(Context&, const Instance&, Tag<model::Device>) {
    // The version the generated tables were built from.
    return {.RootDataModelVersion = std::string(cwmp::dm::model_version(cwmp::gen::schema))};
}

model::DeviceInfo read(Context& ctx, const Instance&, Tag<model::DeviceInfo>) {
    ExampleBoard& b = board(ctx);
    return {
        .HardwareVersion = "example-1",
        .Manufacturer = "Example Devices",
        .ManufacturerOUI = "00005E",
        .ProductClass = "ExampleBox",
        .ProvisioningCode = b.provisioning_code(),
        .SerialNumber = b.serial(),
        .SoftwareVersion = b.version(),
        .UpTime = b.uptime(),
    };
}

Fault write(Context& ctx, const Instance&, const model::DeviceInfo::Changes& changes) {
    if (changes.ProvisioningCode) board(ctx).set_provisioning_code(*changes.ProvisioningCode);
    return Fault::None;
}

}  // namespace cwmp::platform

namespace cwmp::boards {

std::unique_ptr<platform::Board> make_example(const platform::BoardSetup& setup) {
    std::string serial, version = "1.0";
    for (const platform::ConfigEntry& e : setup.config.entries) {
        if (e.key == "serial_number" && !e.value.empty()) serial = e.value;
        else if (e.key == "software_version" && !e.value.empty()) version = e.value;
        else if (e.key == "serial_number" || e.key == "software_version") throw platform::BoardConfigError(e, "a value is required");
        else throw platform::BoardConfig::unknown(e);
    }
    if (serial.empty()) throw platform::BoardConfigError(setup.config.file + ": [board] serial_number is required");
    return std::make_unique<platform::ExampleBoard>(setup, serial, version);
}

}  // namespace cwmp::boards
