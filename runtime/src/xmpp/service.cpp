#include "cwmp/xmpp/service.h"

#include <algorithm>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"
#include "cwmp/util/log.h"

namespace cwmp::xmpp {
namespace {

// A parameter of a row: "Device.XMPP.Connection.2." and the template
// "Device.XMPP.Connection.{i}.Enable" give "Device.XMPP.Connection.2.Enable";
// "" for a parameter the profile lacks.
std::string in_row(const std::string& row, std::string_view path) {
    return path.empty() ? std::string() : row + std::string(dm::leaf_name(path));
}

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

// The instances of XMPP.Connection, as "Device.XMPP.Connection.N" (no
// trailing dot); none when the profile has no such table.
std::vector<std::string> Service::rows() {
    std::vector<std::string> out;
    const std::string_view table = dm::table_path(engine_.schema().paths.xmpp.connection.path);
    if (table.empty()) return out;
    own_.names(table, true, [&](std::string_view name, bool) {
        if (name.ends_with('.')) out.push_back(without_dot(std::string(name)));
    });
    return out;
}

void Service::step() {
    // The settings live in the model: read again only when it changed (the
    // clients' own state written back by serve() moves it too).
    if (read_at_ == engine_.revision()) return;
    read_at_ = engine_.revision();
    auto text = [&](std::string_view name) { return own_.text(name); };
    auto flag = [&](std::string_view name) {
        bool b = false;
        return dm::parse(text(name), b) == Fault::None && b;
    };
    auto number = [&](std::string_view name, std::uint32_t fallback) {
        std::uint32_t n = fallback;
        return dm::parse(text(name), n) == Fault::None ? n : fallback;
    };
    const dm::ModelPaths::ManagementServer& ms = engine_.schema().paths.management_server;
    const dm::ModelPaths::XMPP::Connection& conn = engine_.schema().paths.xmpp.connection;
    const std::string connreq_row = without_dot(text(ms.conn_req_xmpp_connection));
    // The list's text outlives the views split_list returns into it.
    const std::string allowed_list = text(ms.conn_req_allowed_jabber_ids);
    std::vector<std::string> allowed;
    for (std::string_view j : dm::split_list(allowed_list)) allowed.emplace_back(j);
    const std::vector<std::string> present = rows();
    std::erase_if(rows_, [&](const auto& r) { return std::find(present.begin(), present.end(), r.first) == present.end(); });
    for (const std::string& row : present) {
        const std::string p = row + ".";
        Config c;
        c.enable = flag(in_row(p, conn.enable));
        c.username = text(in_row(p, conn.username));
        c.password = text(in_row(p, conn.password));
        c.domain = text(in_row(p, conn.domain));
        c.resource = text(in_row(p, conn.resource));
        c.require_tls = flag(in_row(p, conn.use_tls));
        c.ca_file = options_.ca_file;
        c.retry_initial_s = number(in_row(p, conn.server_retry_initial_interval), 60);
        c.retry_multiplier = number(in_row(p, conn.server_retry_interval_multiplier), 2000);
        c.retry_max_s = number(in_row(p, conn.server_retry_max_interval), 30720);
        const std::string algorithm = text(in_row(p, conn.server_connect_algorithm));
        c.srv = algorithm != "DNS";
        if (algorithm == "ServerTable") {
            struct S {
                std::uint32_t priority;
                std::string address;
                std::uint16_t port;
            };
            std::vector<S> servers;
            const dm::ModelPaths::XMPP::Connection::Server& server = conn.server;
            // The row's Server table: "Device.XMPP.Connection.2." + "Server."
            const std::string table = server.path.empty()
                                          ? std::string()
                                          : p + std::string(dm::table_path(server.path).substr(conn.path.size()));
            if (!table.empty())
                own_.names(table, true, [&](std::string_view name, bool) {
                    if (!name.ends_with('.')) return;
                    const std::string s(name);
                    if (!flag(in_row(s, server.enable)) || text(in_row(s, server.server_address)).empty()) return;
                    servers.push_back({number(in_row(s, server.priority), 0), text(in_row(s, server.server_address)),
                                       static_cast<std::uint16_t>(number(in_row(s, server.port), 5222))});
                });
            std::stable_sort(servers.begin(), servers.end(),
                             [](const S& a, const S& b) { return a.priority < b.priority; });
            for (const S& s : servers) c.servers.emplace_back(s.address, s.port);
            if (c.servers.empty()) c.enable = false;  // nothing to connect to
        }
        c.connection_requests = row == connreq_row;
        c.cr_username = text(ms.connection_request_username);
        c.cr_password = text(ms.connection_request_password);
        c.allowed_jids = allowed;
        c.max_requests_per_minute = options_.max_requests_per_minute;
        auto& r = rows_[row];
        if (!r) r = std::make_unique<Row>(log_);
        r->client.configure(c);
    }
    // ConnReqJabberID: the JabberID of the connection that takes connection requests.
    std::string jid;
    if (auto it = rows_.find(connreq_row); it != rows_.end()) jid = it->second->state.jid;
    if (text(ms.conn_req_jabber_id) != jid) own_.set(ms.conn_req_jabber_id, jid);
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
        const dm::ModelPaths::XMPP::Connection& conn = engine_.schema().paths.xmpp.connection;
        if (!r->published || s.status != r->state.status) {
            own_.set(in_row(p, conn.status), s.status);
            std::string date;
            dm::format(date, dm::DateTime{now_()});
            own_.set(in_row(p, conn.last_change_date), date);
        }
        if (!s.jid.empty() && s.jid != r->state.jid) own_.set(in_row(p, conn.jabber_id), s.jid);
        own_.set(in_row(p, conn.tls_established), s.tls ? "true" : "false");
        r->state = s;
        r->published = true;
    }
    return requests;
}

}  // namespace cwmp::xmpp
