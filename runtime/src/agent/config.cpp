#include "cwmp/agent/config.h"

#include "cwmp/tasks/tasks.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace cwmp::agent {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

template <class N>
N number(const std::string& v, const std::string& where) {
    N n{};
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size()) throw ConfigError(where + ": not a number: " + v);
    return n;
}

template <class N>
N in_range(const std::string& v, const std::string& where, N lo, N hi) {
    const N n = number<N>(v, where);
    if (n < lo || n > hi)
        throw ConfigError(where + ": " + v + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
    return n;
}

bool boolean(const std::string& v, const std::string& where) {
    if (v == "true" || v == "yes" || v == "1") return true;
    if (v == "false" || v == "no" || v == "0") return false;
    throw ConfigError(where + ": not true or false: " + v);
}

}  // namespace

DaemonConfig parse_config(const std::string& text, const std::string& name) {
    DaemonConfig c;
    std::istringstream in(text);
    std::string line;
    c.board_config.file = name;
    bool in_board = false;  // past the `[board]` line
    for (int n = 1; std::getline(in, line); ++n) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        const std::string at = name + ":" + std::to_string(n);
        if (line.front() == '[') {
            if (line != "[board]") throw ConfigError(at + ": " + line + ": unknown section (only [board])");
            if (in_board) throw ConfigError(at + ": a second [board] section");
            in_board = true;
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos) throw ConfigError(at + ": expected key = value");
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        const std::string where = at + ": " + key;
        if (key.empty()) throw ConfigError(at + ": a value without a key");
        if (in_board) {  // the board's own: its factory reads them
            c.board_config.entries.push_back({key, value, name, n});
            continue;
        }
        if (key == "acs_url") c.acs.url = value;
        else if (key == "acs_username") c.acs.username = value;
        else if (key == "acs_password") c.acs.password = value;
        else if (key == "ca_file") c.acs.ca_file = value;
        else if (key == "client_cert") c.acs.client_cert = value;
        else if (key == "client_key") c.acs.client_key = value;
        else if (key == "tls_verify") c.acs.verify = boolean(value, where);
        else if (key == "store") c.store = value;
        else if (key == "board") {
            if (value.empty()) throw ConfigError(where + ": a board name is required");
            c.board = value;
            c.board_line = n;
        }
        else if (key == "profile") {
            c.profile = value;
            c.profile_line = n;
        }
        else if (key == "log") {
            if (value == "stderr") c.log_sink = util::Log::Sink::Stderr;
            else if (value == "syslog") c.log_sink = util::Log::Sink::Syslog;
            else throw ConfigError(where + ": stderr or syslog, not " + value);
        } else if (key == "log_level") {
            if (!util::parse_level(value, c.log_level)) throw ConfigError(where + ": unknown level " + value);
        } else if (key == "startup_delay_max") c.startup_delay_max = number<std::uint32_t>(value, where);
        else if (key == "connection_request_port") c.connection_request_port = number<std::uint16_t>(value, where);
        else if (key == "connection_request_path") c.connection_request_path = value;
        else if (key == "connection_request_address") c.connection_request_address = value;
        else if (key == "connection_request_bind") c.connection_request_bind = value;
        else if (key == "udp_connection_request_port")
            c.udp_connection_request_port = number<std::uint16_t>(value, where);
        else if (key == "connection_request_rate") c.connection_request_rate = number<unsigned>(value, where);
        else if (key == "notification_poll_interval") c.notification_poll_interval = number<std::uint32_t>(value, where);
        else if (key == "idle_page_out") c.idle_page_out = in_range<std::uint32_t>(value, where, 0, 86400);
        else if (key == "staging_dir") c.staging_dir = value;
        else if (key == "transfer_max_concurrent")
            c.transfer_max_concurrent = in_range<std::uint32_t>(value, where, 1, tasks::Tasks::kMaxQueued);
        else if (key == "transfer_stall_time") c.transfer_stall_time = in_range<std::uint32_t>(value, where, 2, 86400);
        else if (key == "transfer_low_speed_limit")
            c.transfer_low_speed_limit = in_range<std::uint32_t>(value, where, 1, 1u << 30);
        else if (key == "control_socket") c.control_socket = value;
        else if (key == "control_group") c.control_group = value;
        // A path of the model (the daemon checks it names the profile's root
        // object); the configuration's own keys have no dots.
        else if (key.find('.') != std::string::npos) c.defaults.emplace_back(key, value);
        else throw ConfigError(where + ": unknown key");
    }
    if (c.acs.url.empty()) throw ConfigError(name + ": acs_url is required");
    if (!c.acs.url.starts_with("http://") && !c.acs.url.starts_with("https://"))
        throw ConfigError(name + ": acs_url must be an http:// or https:// URL");
    return c;
}

DaemonConfig load_config(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw ConfigError(path + ": cannot read");
    std::ostringstream text;
    text << f.rdbuf();
    return parse_config(text.str(), path);
}

}  // namespace cwmp::agent
