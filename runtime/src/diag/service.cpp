#include "cwmp/diag/service.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/own.h"
#include "cwmp/dm/value.h"
#include "cwmp/util/log.h"
#include "echo_server.h"
#include "fields.h"
#include "net.h"

namespace cwmp::diag {

namespace {

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

std::string_view text(State s) { return state_text(s); }

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

    void set_none(Slot& s) { own.set(s.d.state, std::string(text(State::kNone))); }

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
        const bool interface = name == echo_config().interface ||
                               std::any_of(slots.begin(), slots.end(), [&](const Slot& s) { return name == s.d.interface; });
        if (!name.empty() && interface) {
            std::string device;
            if (!device_of(value, device)) {
                why = "not an IP interface of this device";
                return Fault::InvalidParameterValue;
            }
        }
        Slot* s = slot_of(name);
        if (s == nullptr) return Fault::None;
        if (name == s->d.state) {
            if (!s->d.test && value == text(State::kRequested)) {
                why = "this device does not run this diagnostic";
                return Fault::InvalidParameterValue;
            }
            if (value == text(State::kRequested) || value == text(State::kCanceled)) return Fault::None;
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
        // A value that is unreadable or does not parse: false / 0.
        const auto read = [&](std::string_view path, auto& value) {
            if (!engine.get_value(path, v) || dm::parse(v, value) != Fault::None) value = {};
        };
        read(ec.enable, c.enable);
        if (!own.read(ec.interface, v)) v.clear();  // unreadable (logged): any interface
        if (!device_of(v, c.device)) c.device.clear();
        own.read(ec.source_ip_address, c.source);
        std::uint32_t port = 0;
        read(ec.udp_port, port);
        c.port = static_cast<std::uint16_t>(port);
        read(ec.echo_plus_enabled, c.plus);
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
                if (leaf_of(name, s.d.object).empty()) continue;
                touched = true;
                if (name == s.d.state) state = value;
            }
            if (!touched) continue;
            const bool stopped = cancel(s);
            if (state == text(State::kRequested)) {
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
            if (!leaf_of(name, s.d.object).empty()) p.values.emplace(std::string(name), std::string(value));
        });
        // An Interface that names no interface (any more) leaves the device "": the test fails.
        if (auto it = p.values.find(s.d.interface); !s.d.interface.empty() && it != p.values.end())
            (void)device_of(it->second, p.device);
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
                out = Output::error(std::string(text(State::kErrorInternal)));
            }
            r->out = std::move(out);
            r->done.store(true, std::memory_order_release);
            const std::uint64_t one = 1;
            // Cannot fail but by an overflowing counter (2^64 wakes), and the flag above is what counts.
            (void)!::write(fd, &one, sizeof one);
        });
        s.running = std::move(run);
    }

    // `state` as the model's enumeration of DiagnosticsState has it: the
    // first of its fallbacks the model has where it lacks it (TR-098's
    // DownloadDiagnostics says Completed); the generator checked one exists.
    std::string model_state(const Slot& s, const std::string& state) const {
        const dm::Param* p = dm::find_param(engine.schema(), s.d.state);
        if (p == nullptr || p->constraint == nullptr || p->constraint->enums.empty()) return state;
        const auto enums = p->constraint->enums;
        const auto has = [&](std::string_view v) { return std::find(enums.begin(), enums.end(), v) != enums.end(); };
        if (has(state)) return state;
        for (std::size_t k = 0; k < kStateCount; ++k) {
            if (state_text(static_cast<State>(k)) != state) continue;
            for (std::string_view f : fallbacks(static_cast<State>(k)))
                if (has(f)) return std::string(f);
        }
        return state;  // refused by the write, which says so
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
            const std::string_view table = dm::table_path(row);  // "...RouteHops."
            auto it = std::find_if(out.tables.begin(), out.tables.end(), [&](const auto& e) { return e.first == table; });
            w.tables.emplace_back(table, it == out.tables.end() ? 0 : it->second);
        }
        for (auto& [name, value] : out.values) w.values.emplace_back(std::move(name), std::move(value));
        const std::string state = model_state(s, out.state);
        w.values.emplace_back(s.d.state, state);  // with its results, at once
        const dm::Outcome r = engine.write_runtime(w);
        if (!r) {
            log.error("diagnostics: " + s.d.object + " results not stored: " + r.message);
            own.set(s.d.state, model_state(s, std::string(text(State::kErrorInternal))));
        }
        for (const dm::NameFault& f : r.details) log.warning("diagnostics: result not in the model: " + f.name);
        log.info("diagnostics: " + s.d.object + " " + state);
        return true;
    }
};

Service::Service(dm::Engine& engine, const util::Log& log, std::vector<Diagnostic> diagnostics)
    : impl_(std::make_unique<Impl>(engine, log)) {
    impl_->efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (impl_->efd < 0) throw std::runtime_error("diagnostics: eventfd failed");
    for (Diagnostic& d : diagnostics) {
        std::string state;
        if (!d.object.empty() && !d.state.empty() && engine.get_value(d.state, state))
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
        dm::require_default(e, s.d.state, std::string(text(State::kNone)));
        // An input or capability the profile lacks (TR-098's IPPing has no ProtocolVersion, its
        // DownloadDiagnostics no DownloadTransports) is "" (the generator's paths): nothing to set.
        for (const auto& [name, value] : s.d.defaults) dm::require_default(e, name, value);
        for (const auto& [name, value] : s.d.capabilities) dm::require_value(e, name, value);
        std::string state;
        impl_->own.read(s.d.state, state);  // unreadable (logged): reset below
        if (state == text(State::kRequested) || state == text(State::kCanceled) || state.empty()) {
            if (state == text(State::kRequested))
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
