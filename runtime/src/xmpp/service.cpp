#include "cwmp/xmpp/service.h"

#include <algorithm>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"
#include "cwmp/util/log.h"

namespace cwmp::xmpp {
namespace {

constexpr std::string_view kTable = "Device.XMPP.Connection.";
constexpr std::string_view kMS = "Device.ManagementServer.";

std::string without_dot(std::string s) {
    if (s.ends_with('.')) s.pop_back();
    return s;
}

}  // namespace

struct Service::Row {
    explicit Row(const util::Log& log) : client(log) {}
    Client client;
    State state;
    bool published = false;
};

Service::Service(dm::Engine& engine, const util::Log& log, WallClock now, ServiceOptions options)
    : engine_(engine), log_(log), now_(std::move(now)), options_(std::move(options)) {}

Service::~Service() = default;

// The instances of a table, as "Device.X.Table.N" (no trailing dot).
std::vector<std::string> Service::rows() {
    std::vector<std::string> out;
    (void)engine_.get_names(kTable, true, [&](std::string_view name, bool) {
        if (name.ends_with('.')) out.push_back(without_dot(std::string(name)));
    });
    return out;
}

void Service::step() {
    // The settings live in the model: read again only when it changed (the
    // clients' own state written back by serve() moves it too).
    if (read_at_ == engine_.revision()) return;
    read_at_ = engine_.revision();
    auto text = [&](const std::string& name) {
        std::string v;
        (void)engine_.get_value(name, v);
        return v;
    };
    auto flag = [&](const std::string& name) {
        bool b = false;
        return dm::parse(text(name), b) == Fault::None && b;
    };
    auto number = [&](const std::string& name, std::uint32_t fallback) {
        std::uint32_t n = fallback;
        return dm::parse(text(name), n) == Fault::None ? n : fallback;
    };
    const std::string ms(kMS);
    const std::string connreq_row = without_dot(text(ms + "ConnReqXMPPConnection"));
    // The list's text outlives the views split_list returns into it.
    const std::string allowed_list = text(ms + "ConnReqAllowedJabberIDs");
    std::vector<std::string> allowed;
    for (std::string_view j : dm::split_list(allowed_list)) allowed.emplace_back(j);
    const std::vector<std::string> present = rows();
    std::erase_if(rows_, [&](const auto& r) { return std::find(present.begin(), present.end(), r.first) == present.end(); });
    for (const std::string& row : present) {
        const std::string p = row + ".";
        Config c;
        c.enable = flag(p + "Enable");
        c.username = text(p + "Username");
        c.password = text(p + "Password");
        c.domain = text(p + "Domain");
        c.resource = text(p + "Resource");
        c.require_tls = flag(p + "UseTLS");
        c.ca_file = options_.ca_file;
        c.retry_initial_s = number(p + "ServerRetryInitialInterval", 60);
        c.retry_multiplier = number(p + "ServerRetryIntervalMultiplier", 2000);
        c.retry_max_s = number(p + "ServerRetryMaxInterval", 30720);
        const std::string algorithm = text(p + "ServerConnectAlgorithm");
        c.srv = algorithm != "DNS";
        if (algorithm == "ServerTable") {
            struct S {
                std::uint32_t priority;
                std::string address;
                std::uint16_t port;
            };
            std::vector<S> servers;
            (void)engine_.get_names(p + "Server.", true, [&](std::string_view name, bool) {
                if (!name.ends_with('.')) return;
                const std::string s(name);
                if (!flag(s + "Enable") || text(s + "ServerAddress").empty()) return;
                servers.push_back({number(s + "Priority", 0), text(s + "ServerAddress"),
                                   static_cast<std::uint16_t>(number(s + "Port", 5222))});
            });
            std::stable_sort(servers.begin(), servers.end(),
                             [](const S& a, const S& b) { return a.priority < b.priority; });
            for (const S& s : servers) c.servers.emplace_back(s.address, s.port);
            if (c.servers.empty()) c.enable = false;  // nothing to connect to
        }
        c.connection_requests = row == connreq_row;
        c.cr_username = text(ms + "ConnectionRequestUsername");
        c.cr_password = text(ms + "ConnectionRequestPassword");
        c.allowed_jids = allowed;
        c.max_requests_per_minute = options_.max_requests_per_minute;
        auto& r = rows_[row];
        if (!r) r = std::make_unique<Row>(log_);
        r->client.configure(c);
    }
    // ConnReqJabberID: the JabberID of the connection that takes connection requests.
    std::string jid;
    if (auto it = rows_.find(connreq_row); it != rows_.end()) jid = it->second->state.jid;
    if (text(ms + "ConnReqJabberID") != jid) (void)engine_.set_runtime(ms + "ConnReqJabberID", jid);
}

void Service::add_to_poll(std::vector<pollfd>& fds) const {
    for (const auto& [_, r] : rows_) fds.push_back({r->client.event_fd(), POLLIN, 0});
}

unsigned Service::serve() {
    unsigned requests = 0;
    for (auto& [row, r] : rows_) {
        const Client::News n = r->client.collect();
        requests += n.connection_requests;
        if (!n.state_changed && r->published) continue;
        const State s = n.state_changed ? n.state : r->state;
        const std::string p = row + ".";
        if (!r->published || s.status != r->state.status) {
            (void)engine_.set_runtime(p + "Status", s.status);
            std::string date;
            dm::format(date, dm::DateTime{now_()});
            (void)engine_.set_runtime(p + "LastChangeDate", date);
        }
        if (!s.jid.empty() && s.jid != r->state.jid) (void)engine_.set_runtime(p + "JabberID", s.jid);
        (void)engine_.set_runtime(p + "TLSEstablished", s.tls ? "true" : "false");
        r->state = s;
        r->published = true;
    }
    return requests;
}

}  // namespace cwmp::xmpp
