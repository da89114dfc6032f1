#include "cwmp/diag/service.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/own.h"
#include "cwmp/util/log.h"
#include "echo_server.h"
#include "net.h"

namespace cwmp::diag {

std::string param(const Params& p, std::string_view name, std::string fallback) {
    auto it = p.find(name);
    return it == p.end() ? fallback : it->second;
}

std::uint32_t uint_param(const Params& p, std::string_view name, std::uint32_t fallback) {
    const std::string v = param(p, name);
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    return ec == std::errc() && end == v.data() + v.size() && !v.empty() ? n : fallback;
}

bool bool_param(const Params& p, std::string_view name, bool fallback) {
    const std::string v = param(p, name);
    if (v == "true" || v == "1") return true;
    if (v == "false" || v == "0") return false;
    return fallback;
}

namespace {

constexpr std::string_view kState = "DiagnosticsState";
constexpr const char* kGuardOwner = "diagnostics";  // its runtime value guard in the engine

// A finished run says so on the agent's descriptor; the thread is the last
// member, so it is stopped and joined before the output it writes goes.
struct Run {
    std::atomic<bool> done{false};
    Output out;
    std::jthread thread;
};

struct Slot {
    Diagnostic d;
    bool pending = false;
    std::unique_ptr<Run> running;
};

// The leaf of `name` when it is a direct parameter of `object`.
std::string_view leaf_of(std::string_view name, std::string_view object) {
    if (!name.starts_with(object)) return {};
    std::string_view leaf = name.substr(object.size());
    return leaf.find('.') == std::string_view::npos ? leaf : std::string_view{};
}

// The profile's path of a test's result `name` ("RouteHops.2.Host"): its
// Diagnostic::result_paths entry with the instance numbers put back, else the
// object's; "" for one the profile lacks.
std::string result_path(const Diagnostic& d, std::string_view name) {
    std::string pattern;
    std::vector<std::string_view> numbers;
    for (std::size_t at = 0; at < name.size();) {
        const std::size_t dot = std::min(name.find('.', at), name.size());
        const std::string_view segment = name.substr(at, dot - at);
        const bool number = !segment.empty() && segment.find_first_not_of("0123456789") == std::string_view::npos;
        if (number) numbers.push_back(segment);
        pattern += number ? std::string_view("{i}") : segment;
        if (dot < name.size()) pattern += '.';
        at = dot + 1;
    }
    const auto it = std::find_if(d.result_paths.begin(), d.result_paths.end(),
                                 [&](const auto& e) { return e.first == pattern; });
    if (it == d.result_paths.end()) return d.object + std::string(name);
    std::string out;
    std::size_t next = 0;
    for (std::size_t at = 0; at < it->second.size();) {
        const std::size_t slot = it->second.find("{i}", at);
        out += std::string_view(it->second).substr(at, slot == std::string::npos ? std::string::npos : slot - at);
        if (slot == std::string::npos) break;
        out += next < numbers.size() ? numbers[next++] : std::string_view("{i}");
        at = slot + 3;
    }
    return out;
}

}  // namespace

struct Service::Impl {
    dm::Engine& engine;
    const util::Log& log;
    dm::Own own{engine, log};  // states, settings and counters read and written: a failure logged once
    std::vector<Slot> slots;
    std::vector<std::unique_ptr<Run>> retired;  // canceled, still stopping
    int efd = -1;
    bool has_echo = false;  // the model has UDPEchoConfig
    EchoServer echo;
    std::optional<EchoServer::Counters> published;  // what the model shows

    Impl(dm::Engine& e, const util::Log& l) : engine(e), log(l) {}
    ~Impl() {
        // Every thread asked to stop first, then joined (each within ~100 ms).
        for (Slot& s : slots)
            if (s.running) s.running->thread.request_stop();
        for (auto& r : retired) r->thread.request_stop();
        slots.clear();
        retired.clear();
        if (efd >= 0) ::close(efd);
    }

    const dm::ModelPaths::IP::Diagnostics::UDPEchoConfig& echo_config() const {
        return engine.schema().paths.ip.diagnostics.udp_echo_config;
    }

    Slot* slot_of(std::string_view name) {
        for (Slot& s : slots)
            if (!leaf_of(name, s.d.object).empty()) return &s;
        return nullptr;
    }

    // Stops a running test (its thread ends by itself within ~100 ms); whether one ran.
    bool cancel(Slot& s) {
        if (!s.running) return false;
        s.running->thread.request_stop();
        retired.push_back(std::move(s.running));
        return true;
    }

    void set_none(Slot& s) { own.set(s.d.object + std::string(kState), "None"); }

    // The device name of an IP.Interface reference ("" for none); false when it names none.
    bool device_of(std::string_view ref, std::string& device) {
        device.clear();
        if (ref.empty()) return true;
        std::string path(ref);
        if (!path.ends_with('.')) path += '.';
        const auto& interface = engine.schema().paths.ip.interface;
        return !interface.path.empty() && path.starts_with(dm::table_path(interface.path)) &&
               engine.get_value(path + std::string(dm::leaf_name(interface.name)), device);
    }

    Fault check(std::string_view name, std::string_view value, std::string& why) {
        const std::string_view diagnostics = engine.schema().paths.ip.diagnostics.path;
        if (!diagnostics.empty() && name.starts_with(diagnostics) && name.ends_with(".Interface")) {
            std::string device;
            if (!device_of(value, device)) {
                why = "not an IP interface of this device";
                return Fault::InvalidParameterValue;
            }
        }
        Slot* s = slot_of(name);
        if (s == nullptr) return Fault::None;
        if (leaf_of(name, s->d.object) == kState) {
            if (!s->d.test && value == "Requested") {
                why = "this device does not run this diagnostic";
                return Fault::InvalidParameterValue;
            }
            if (value == "Requested" || value == "Canceled") return Fault::None;
            why = "the ACS may set only Requested or Canceled";
            return Fault::InvalidParameterValue;
        }
        return s->d.check ? s->d.check(name, value, why) : Fault::None;
    }

    // UDPEchoConfig as the model says now.
    void configure_echo() {
        const auto& ec = echo_config();
        EchoConfig c;
        std::string v;
        c.enable = engine.get_value(ec.enable, v) && v == "true";
        if (!own.read(ec.interface, v)) v.clear();  // unreadable (logged): any interface
        if (!device_of(v, c.device)) c.device.clear();
        own.read(ec.source_ip_address, c.source);
        c.port = static_cast<std::uint16_t>(
            uint_param({{"p", engine.get_value(ec.udp_port, v) ? v : "0"}}, "p", 0));
        c.plus = engine.get_value(ec.echo_plus_enabled, v) && v == "true";
        published.reset();
        if (!echo.configure(c))
            log.error("UDPEchoConfig: cannot serve UDP port " + std::to_string(c.port) +
                      (c.device.empty() ? "" : " on " + c.device) + ": " + std::strerror(errno));
        else if (c.enable)
            log.info("UDPEchoConfig: serving UDP port " + std::to_string(c.port) + (c.plus ? " (Echo Plus)" : ""));
    }

    void publish() {
        if (!has_echo) return;
        const EchoServer::Counters k = echo.counters();
        if (published && k.packets_received == published->packets_received &&
            k.packets_responded == published->packets_responded && k.bytes_received == published->bytes_received)
            return;  // nothing new: no store write
        published = k;
        auto when = [](std::int64_t us) {
            return us == 0 ? std::string("0001-01-01T00:00:00Z")
                           : net::datetime(std::chrono::system_clock::time_point(std::chrono::microseconds(us)));
        };
        dm::Engine::RuntimeResults w;
        const auto& ec = echo_config();
        w.values = {{std::string(ec.packets_received), std::to_string(k.packets_received)},
                    {std::string(ec.packets_responded), std::to_string(k.packets_responded)},
                    {std::string(ec.bytes_received), std::to_string(k.bytes_received)},
                    {std::string(ec.bytes_responded), std::to_string(k.bytes_responded)},
                    {std::string(ec.time_first_packet_received), when(k.first_us)},
                    {std::string(ec.time_last_packet_received), when(k.last_us)}};
        own.write(w, "UDPEchoConfig");
    }

    void on_batch(std::span<const std::pair<std::string, std::string>> changes) {
        const std::string_view ec = echo_config().path;  // not "" while has_echo
        if (has_echo && std::any_of(changes.begin(), changes.end(), [ec](const auto& c) { return c.first.starts_with(ec); })) {
            configure_echo();
            publish();
        }
        for (Slot& s : slots) {
            bool touched = false;
            std::optional<std::string> state;
            for (const auto& [name, value] : changes) {
                const std::string_view leaf = leaf_of(name, s.d.object);
                if (leaf.empty()) continue;
                touched = true;
                if (leaf == kState) state = value;
            }
            if (!touched) continue;
            const bool stopped = cancel(s);
            if (state == "Requested") {
                s.pending = true;  // the latest request wins; it starts after the session
                log.info("diagnostics: " + s.d.object + " requested" + (stopped ? " again: the running test stopped" : ""));
            } else {
                if (s.pending || stopped) log.info("diagnostics: " + s.d.object + " canceled");
                s.pending = false;
                set_none(s);
            }
        }
    }

    Params read_params(const Slot& s) {
        Params p;
        const std::string names[] = {s.d.object};
        own.values(names, [&](std::string_view name, const dm::Param&, std::string_view value) {
            const std::string_view leaf = leaf_of(name, s.d.object);
            if (!leaf.empty()) p.emplace(std::string(leaf), std::string(value));
        });
        if (auto it = p.find("Interface"); it != p.end() && !it->second.empty()) {
            std::string ref = it->second;
            if (!ref.ends_with('.')) ref += '.';
            std::string device;
            if (engine.get_value(ref + "Name", device)) p["Interface.Name"] = device;
        }
        return p;
    }

    void launch(Slot& s) {
        s.pending = false;
        auto run = std::make_unique<Run>();
        Run* r = run.get();
        const int fd = efd;
        log.info("diagnostics: " + s.d.object + " started");
        r->thread = std::jthread([r, fd, test = s.d.test, params = read_params(s)](std::stop_token stop) {
            Output out;
            try {
                out = test(params, stop);
            } catch (const std::exception&) {
                out = Output::error("Error_Internal");
            }
            r->out = std::move(out);
            r->done.store(true, std::memory_order_release);
            const std::uint64_t one = 1;
            // Cannot fail but by an overflowing counter (2^64 wakes), and the flag above is what counts.
            (void)!::write(fd, &one, sizeof one);
        });
        s.running = std::move(run);
    }

    bool finish(Slot& s) {
        if (!s.running || !s.running->done.load(std::memory_order_acquire)) return false;
        s.running->thread.join();
        Output out = std::move(s.running->out);
        s.running.reset();
        dm::Engine::RuntimeResults w;
        for (const std::string& row : s.d.result_tables) {
            // A table the profile lacks (TR-098's DownloadDiagnostics has no PerConnectionResult): "".
            if (row.empty()) continue;
            const std::string_view table = dm::table_path(row);  // "...RouteHops."; the test names "RouteHops."
            auto it = std::find_if(out.tables.begin(), out.tables.end(),
                                   [&](const auto& e) { return s.d.object + e.first == table; });
            w.tables.emplace_back(table, it == out.tables.end() ? 0 : it->second);
        }
        for (auto& [name, value] : out.values)
            if (std::string path = result_path(s.d, name); !path.empty()) w.values.emplace_back(path, std::move(value));
        w.values.emplace_back(s.d.object + std::string(kState), out.state);  // with its results, at once
        const dm::Outcome r = engine.write_runtime(w);
        if (!r) {
            log.error("diagnostics: " + s.d.object + " results not stored: " + r.message);
            own.set(s.d.object + std::string(kState), "Error_Internal");
        }
        for (const dm::NameFault& f : r.details) log.warning("diagnostics: result not in the model: " + f.name);
        log.info("diagnostics: " + s.d.object + " " + out.state);
        return true;
    }
};

Service::Service(dm::Engine& engine, const util::Log& log, std::vector<Diagnostic> diagnostics)
    : impl_(std::make_unique<Impl>(engine, log)) {
    impl_->efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (impl_->efd < 0) throw std::runtime_error("diagnostics: eventfd failed");
    for (Diagnostic& d : diagnostics) {
        std::string state;
        if (!d.object.empty() && engine.get_value(d.object + std::string(kState), state))
            impl_->slots.push_back({std::move(d), false, {}});
    }
}

Service::~Service() {
    impl_->engine.set_runtime_guard(kGuardOwner, nullptr);  // it captures this service
}

int Service::fd() const noexcept { return impl_->efd; }

void Service::start() {
    dm::Engine& e = impl_->engine;
    for (Slot& s : impl_->slots) {
        // Never run: None (the model's first enumeration value may be another, e.g. "Error").
        // A default or capability the model cannot take is a dm::StartupError naming it.
        dm::require_default(e, s.d.object + std::string(kState), "None");
        // An input or capability the profile lacks (TR-098's IPPing has no ProtocolVersion, its
        // DownloadDiagnostics no DownloadTransports) is "" (the generator's paths): nothing to set.
        for (const auto& [name, value] : s.d.defaults) dm::require_default(e, name, value);
        for (const auto& [name, value] : s.d.capabilities) dm::require_value(e, name, value);
        std::string state;
        impl_->own.read(s.d.object + std::string(kState), state);  // unreadable (logged): reset below
        if (state == "Requested" || state == "Canceled" || state.empty()) {
            if (state == "Requested")
                impl_->log.info("diagnostics: " + s.d.object + " was interrupted by the restart: reset to None");
            impl_->set_none(s);
        }
    }
    std::string enable;
    const auto& ec = impl_->echo_config();
    if (!ec.path.empty() && e.get_value(ec.enable, enable)) {
        impl_->has_echo = true;
        dm::require_default(e, ec.enable, "false");
        dm::require_default(e, ec.echo_plus_enabled, "false");
        dm::require_value(e, ec.echo_plus_supported, "true");
        impl_->configure_echo();
        impl_->publish();
    }
    e.set_runtime_guard(kGuardOwner, [this](std::string_view name, std::string_view value) -> std::optional<std::string> {
        std::string why;
        if (impl_->check(name, value, why) == Fault::None) return std::nullopt;
        return why;
    });
    e.on_runtime_batch([this](std::span<const std::pair<std::string, std::string>> changes) {
        impl_->on_batch(changes);
    });
}

void Service::start_requested() {
    for (Slot& s : impl_->slots)
        if (s.pending && !s.running) impl_->launch(s);
}

unsigned Service::collect() {
    std::uint64_t n = 0;
    (void)!::read(impl_->efd, &n, sizeof n);  // empties the wake-up counter; EAGAIN (none) is as good
    std::erase_if(impl_->retired, [](const std::unique_ptr<Run>& r) { return r->done.load(); });
    unsigned completed = 0;
    for (Slot& s : impl_->slots)
        if (impl_->finish(s)) ++completed;
    return completed;
}

void Service::publish() { impl_->publish(); }

bool Service::busy() const {
    return std::any_of(impl_->slots.begin(), impl_->slots.end(),
                       [](const Slot& s) { return s.pending || s.running; });
}

}  // namespace cwmp::diag
