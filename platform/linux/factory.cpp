// The Linux board's entry point: builds it from cwmpd's [board] section.
// Keys (all optional):
//   state_dir          where it keeps its instance numbers (default: beside the agent's store)
//   reboot_command     run through /bin/sh -c to reboot (default: systemctl reboot);
//                      a factory reset removes the board's files first
//   proc_root sys_root etc_root   where /proc, /sys and /etc are read (tests: fixtures)
//   manufacturer manufacturer_oui model_name description product_class
//   serial_number hardware_version software_version
//                      DeviceInfo identity (default: DMI, /etc/machine-id, os-release)
//   vendor_log_files   the host's log files, comma-separated absolute paths (default: none):
//                      DeviceInfo.VendorLogFile.{i} and the Upload of "2 Vendor Log File"
#include <memory>

#include "board.h"
#include "cwmp/platform/board.h"

namespace cwmp::boards {

std::unique_ptr<platform::Board> make_linux(const platform::BoardSetup& setup) {
    std::map<std::string, std::string, std::less<>> section{{"state_dir", setup.state_dir}};
    for (const platform::ConfigEntry& e : setup.config.entries) {
        try {
            (void)linux_board::parse_options({{e.key, e.value}});  // one at a time: errors name the line
        } catch (const linux_board::BoardConfigError& bad) {
            const std::string why = bad.what();
            throw platform::BoardConfigError(e, why.starts_with(e.key + ": ") ? why.substr(e.key.size() + 2) : why);
        }
        section[e.key] = e.value;
    }
    const util::Log& log = setup.log;
    return linux_board::make_linux_board(
        section, [&log](std::string_view m) { log.error(m); }, &setup.settings,
        [&log](std::string_view m) { log.info(m); });
}

}  // namespace cwmp::boards
