#include "cwmp/xmpp/client.h"

#include <strophe.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

#include "cwmp/util/log.h"
#include "cwmp/util/rate_window.h"
#include "iq.h"

namespace cwmp::xmpp {
namespace {

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string bare(std::string_view jid) { return std::string(jid.substr(0, jid.find('/'))); }

// libstrophe's log lines go to ours, at debug level.
void log_line(void* userdata, xmpp_log_level_t level, const char* area, const char* msg) {
    if (level < XMPP_LEVEL_WARN) return;
    static_cast<const util::Log*>(userdata)->debug(std::string("xmpp ") + area + ": " + msg);
}

struct CtxDeleter {
    void operator()(xmpp_ctx_t* c) const { xmpp_ctx_free(c); }
};
struct ConnDeleter {
    void operator()(xmpp_conn_t* c) const { xmpp_conn_release(c); }
};

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string connection_request_error(const Config& c, std::string_view from, std::string_view username,
                                     std::string_view password) {
    if (!c.connection_requests) return "service-unavailable";
    if (!c.allowed_jids.empty() &&
        std::none_of(c.allowed_jids.begin(), c.allowed_jids.end(),
                     [&](const std::string& j) { return j == from || j == bare(from); }))
        return "service-unavailable";
    if (c.cr_username.empty() || !same_secret(username, c.cr_username) || !same_secret(password, c.cr_password))
        return "not-authorized";
    return "";
}

struct Client::Impl {
    const util::Log& log;
    int efd = -1;
    std::mutex m;
    Config wanted;
    bool reconfigure = false;
    bool stop = false;
    State state;  // as last published
    bool state_changed = false;
    unsigned requests = 0;
    std::thread worker;

    // Worker-only.
    Config cfg;
    xmpp_log_t strophe_log{};
    std::unique_ptr<xmpp_ctx_t, CtxDeleter> ctx;
    std::unique_ptr<xmpp_conn_t, ConnDeleter> conn;
    bool connected = false;
    bool disconnected = true;  // the handler said so (or nothing was started)
    bool tcp_up = false;       // the socket connected in this attempt
    unsigned failures = 0;
    std::size_t next_server = 0;
    std::int64_t next_attempt = 0;
    util::RateWindow accepted{60'000};  // recent accepted requests (milliseconds)
    std::mt19937_64 rng{std::random_device{}()};
    State local;

    explicit Impl(const util::Log& l) : log(l) {}

    void notify() {
        const std::uint64_t one = 1;
        (void)!::write(efd, &one, sizeof one);  // a wake-up: fails only on a full counter, which wakes all the same
    }
    void publish(State s) {
        if (s == local) return;
        local = s;
        std::lock_guard lock(m);
        state = std::move(s);
        state_changed = true;
        notify();
    }

    void schedule_retry() {
        ++failures;
        // CWMP's retry window with the ServerRetry* values: [m*k^(n-1), m*k^n], capped.
        const double k = cfg.retry_multiplier / 1000.0;
        const double lo = std::min<double>(cfg.retry_initial_s * std::pow(k, failures - 1), cfg.retry_max_s);
        const double hi = std::min<double>(cfg.retry_initial_s * std::pow(k, failures), cfg.retry_max_s);
        std::uniform_real_distribution<double> wait(lo, std::max(lo, hi));
        const double s = wait(rng);
        next_attempt = steady_ms() + static_cast<std::int64_t>(s * 1000);
        log.info("xmpp: " + cfg.username + "@" + cfg.domain + ": reconnecting in " + std::to_string(s) + " s");
        if (!cfg.servers.empty()) next_server = (next_server + 1) % cfg.servers.size();
    }

    static void on_conn(xmpp_conn_t* c, xmpp_conn_event_t status, int error, xmpp_stream_error_t* stream_error,
                        void* userdata) {
        auto* self = static_cast<Impl*>(userdata);
        if (status == XMPP_CONN_RAW_CONNECT) return;
        if (status == XMPP_CONN_CONNECT) {
            self->connected = true;
            self->failures = 0;
            xmpp_handler_add(c, on_iq, kConnReqNs, "iq", nullptr, self);
            // Available presence: some servers route IQs to a full JID only then.
            const Stanza presence(xmpp_presence_new(self->ctx.get()));
            xmpp_send(c, presence.get());
            const char* jid = xmpp_conn_get_bound_jid(c);
            self->log.info(std::string("xmpp: connected as ") + (jid ? jid : "?") +
                           (xmpp_conn_is_secured(c) ? " (TLS)" : ""));
            self->publish({"Enabled", jid ? jid : "", xmpp_conn_is_secured(c) != 0});
            return;
        }
        // Disconnected or failed: why, as TR-181 Status says it.
        std::string why = "ServerNotPresent";
        if (self->connected) why = "Connecting";  // lost: reconnecting
        else if (error == 0 && stream_error == nullptr) why = "Error_AuthenticationFailure";
        else if (stream_error != nullptr && stream_error->type == XMPP_SE_NOT_AUTHORIZED) why = "Error_AuthenticationFailure";
        self->log.warning("xmpp: " + self->cfg.username + "@" + self->cfg.domain + ": disconnected (" + why +
                          (error != 0 ? ", error " + std::to_string(error) : std::string()) + ")");
        self->connected = false;
        self->disconnected = true;
        if (self->cfg.enable) self->publish({why, self->local.jid, false});
    }

    static int on_iq(xmpp_conn_t* c, xmpp_stanza_t* iq, void* userdata) {
        auto* self = static_cast<Impl*>(userdata);
        const std::optional<ConnReqIq> r = read_connection_request(self->ctx.get(), iq);
        if (!r) return 1;
        const std::string& from = r->from;
        std::string error = connection_request_error(self->cfg, from, r->username, r->password);
        const std::int64_t now = steady_ms();
        if (error.empty() && self->accepted.full(self->cfg.max_requests_per_minute, now)) error = "resource-constraint";
        if (const Stanza reply = connection_request_reply(iq, error)) xmpp_send(c, reply.get());
        if (!error.empty()) {
            self->log.warning("xmpp: connection request from " + from + " refused: " + error);
            return 1;
        }
        self->accepted.add(now);
        self->log.info("xmpp: connection request from " + from);
        std::lock_guard lock(self->m);
        ++self->requests;
        self->notify();
        return 1;
    }

    void drop_connection() {
        if (!conn) return;
        if (!disconnected) {
            xmpp_disconnect(conn.get());
            for (int i = 0; i < 20 && !disconnected; ++i) xmpp_run_once(ctx.get(), 50);
        }
        conn.reset();
        connected = false;
        disconnected = true;
    }

    void connect() {
        conn.reset(xmpp_conn_new(ctx.get()));
        const std::string jid = cfg.username + "@" + cfg.domain + (cfg.resource.empty() ? "" : "/" + cfg.resource);
        xmpp_conn_set_jid(conn.get(), jid.c_str());
        xmpp_conn_set_pass(conn.get(), cfg.password.c_str());
        xmpp_conn_set_flags(conn.get(), cfg.require_tls ? XMPP_CONN_FLAG_MANDATORY_TLS : 0);
        if (!cfg.ca_file.empty()) xmpp_conn_set_cafile(conn.get(), cfg.ca_file.c_str());
        const char* host = nullptr;
        unsigned short port = 0;
        if (!cfg.servers.empty()) {
            host = cfg.servers[next_server % cfg.servers.size()].first.c_str();
            port = cfg.servers[next_server % cfg.servers.size()].second;
        } else if (!cfg.srv) {
            host = cfg.domain.c_str();
            port = 5222;
        }
        disconnected = false;
        connected = false;
        publish({"Connecting", local.jid, false});
        log.info("xmpp: connecting as " + jid + (host ? " to " + std::string(host) + ":" + std::to_string(port) : ""));
        if (xmpp_connect_client(conn.get(), host, port, on_conn, this) != XMPP_EOK) {
            disconnected = true;
            publish({"ServerNotPresent", local.jid, false});
            conn.reset();
            schedule_retry();
        }
    }

    void run() {
        strophe_log = {log_line, const_cast<util::Log*>(&log)};
        ctx.reset(xmpp_ctx_new(nullptr, &strophe_log));
        for (;;) {
            {
                std::lock_guard lock(m);
                if (stop) break;
                if (reconfigure) {
                    reconfigure = false;
                    const bool reconnect = !(wanted.enable == cfg.enable && wanted.username == cfg.username &&
                                             wanted.password == cfg.password && wanted.domain == cfg.domain &&
                                             wanted.resource == cfg.resource && wanted.servers == cfg.servers &&
                                             wanted.srv == cfg.srv && wanted.require_tls == cfg.require_tls &&
                                             wanted.ca_file == cfg.ca_file);
                    cfg = wanted;
                    if (reconnect) {
                        m.unlock();
                        drop_connection();
                        m.lock();
                        failures = 0;
                        next_server = 0;
                        next_attempt = 0;
                    }
                }
            }
            if (!cfg.enable) {
                publish({"Disabled", local.jid, false});
            } else if (conn && disconnected) {
                conn.reset();
                schedule_retry();
            } else if (!conn && steady_ms() >= next_attempt) {
                connect();
            }
            xmpp_run_once(ctx.get(), 200);
        }
        drop_connection();
        ctx.reset();
    }
};

Client::Client(const util::Log& log) : impl_(std::make_unique<Impl>(log)) {
    static std::once_flag once;
    std::call_once(once, [] { xmpp_initialize(); });
    impl_->efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    impl_->worker = std::thread([this] { impl_->run(); });
}

Client::~Client() {
    {
        std::lock_guard lock(impl_->m);
        impl_->stop = true;
    }
    impl_->worker.join();
    if (impl_->efd >= 0) ::close(impl_->efd);
}

void Client::configure(const Config& c) {
    std::lock_guard lock(impl_->m);
    if (c == impl_->wanted && !impl_->reconfigure) return;
    impl_->wanted = c;
    impl_->reconfigure = true;
}

int Client::event_fd() const { return impl_->efd; }

Client::News Client::collect() {
    std::uint64_t n;
    (void)!::read(impl_->efd, &n, sizeof n);  // empties the wake-up counter; EAGAIN (none) is as good
    std::lock_guard lock(impl_->m);
    News out;
    out.state_changed = std::exchange(impl_->state_changed, false);
    out.state = impl_->state;
    out.connection_requests = std::exchange(impl_->requests, 0);
    return out;
}

}  // namespace cwmp::xmpp
