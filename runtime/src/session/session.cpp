#include "cwmp/session/session.h"

#include <algorithm>
#include <optional>
#include <set>

#include "cwmp/dm/value.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/session/http.h"
#include "cwmp/soap/reader.h"
#include "cwmp/transfer/manager.h"
#include "cwmp/util/log.h"

namespace cwmp::session {
namespace {

constexpr std::string_view kSupportedVersions = "1.0,1.1,1.2,1.3,1.4";
constexpr std::size_t kMaxExchanges = 100000;  // a runaway ACS cannot keep a session forever

// The ParameterList of an Inform: each name once, in the order added.
class InformParameters {
public:
    explicit InformParameters(dm::Engine& e) : engine_(e), shown_(e, true) {}

    // A name that cannot be read is left out: an instance gone since its
    // change was seen, or an InformParameter naming nothing (the board's own
    // failures the engine logs with their path and cause).
    void add(const std::string& name) {
        if (!engine_.get_values(std::span(&name, 1),
                                [&](std::string_view n, const dm::Param& p, std::string_view v) { keep(n, p, v); }))
            return;
    }
    // Named as InstanceMode says (TR-069 3.6.1).
    void keep(std::string_view n, const dm::Param& p, std::string_view v) {
        if (seen_.insert(std::string(n)).second) items_.push_back({std::string(shown_(n)), dm::wire_type(p), std::string(v)});
    }

    void write(soap::Writer& w) const {
        w.open_array("ParameterList", "cwmp:ParameterValueStruct", items_.size());
        for (const Item& i : items_) w.parameter_value(i.name, i.type, i.value);
        w.close("ParameterList");
    }

private:
    struct Item {
        std::string name;
        dm::Type type;
        std::string value;
    };
    dm::Engine& engine_;
    dm::Engine::Namer shown_;
    std::set<std::string> seen_;
    std::vector<Item> items_;
};


// ManagementServer.InformParameter rows: enabled ones whose EventList is
// empty or names one of this Inform's events.
void add_requested(dm::Engine& e, const std::vector<tasks::Event>& events, InformParameters& out) {
    const auto& ip = e.schema().paths.management_server.inform_parameter;
    if (ip.path.empty()) return;  // the profile has no InformParameter table
    const std::string_view table = ip.path.substr(0, ip.path.size() - std::string_view("{i}.").size());
    std::map<std::string, std::map<std::string, std::string, std::less<>>> rows;  // instance path -> leaf -> value
    const std::string all[] = {std::string(table)};
    const dm::Outcome listed = e.get_values(all, [&](std::string_view n, const dm::Param&, std::string_view v) {
        const std::size_t dot = n.rfind('.');
        rows[std::string(n.substr(0, dot + 1))][std::string(n.substr(dot + 1))] = std::string(v);
    });
    if (!listed) return;  // the table cannot be read (the engine logged the board's failure): none requested
    auto field = [](auto& row, std::string_view path) -> std::string {
        auto it = row.find(dm::leaf_name(path));
        return it == row.end() || path.empty() ? std::string() : it->second;
    };
    for (auto& [path, row] : rows) {
        const std::string enable = field(row, ip.enable);
        if (enable != "true" && enable != "1") continue;
        const std::string wanted = field(row, ip.event_list);
        bool match = wanted.empty();
        for (std::string_view code : dm::split_list(wanted))
            for (const tasks::Event& ev : events) match = match || ev.code == code;
        const std::string name = field(row, ip.parameter_name);
        if (match && !name.empty()) out.add(name);
    }
}

std::string describe(const std::vector<tasks::Event>& events) {
    std::string s;
    for (const tasks::Event& e : events) {
        if (!s.empty()) s += ", ";
        s += e.code;
        if (!e.command_key.empty()) s += " [" + e.command_key + "]";
    }
    return s;
}

}  // namespace

std::string build_inform(dm::Engine& e, const InformInput& in) {
    // The DeviceId values and the forced Inform parameters in one read.
    const auto& info = e.schema().paths.device_info;
    const std::string device_id_names[] = {std::string(info.manufacturer), std::string(info.manufacturer_oui),
                                           std::string(info.product_class), std::string(info.serial_number)};
    std::vector<std::string> names(std::begin(device_id_names), std::end(device_id_names));
    for (std::uint16_t p : e.forced_inform()) names.emplace_back(e.schema().params[p].path);
    std::string device_id[std::size(device_id_names)];
    InformParameters params(e);
    std::size_t at = 0;  // names are visited in order
    auto read = [&](std::string_view n, const dm::Param& p, std::string_view v) {
        if (at < std::size(device_id_names)) {
            device_id[at++] = v;
        } else {
            params.keep(n, p, v);
        }
    };
    if (!e.get_values(names, read)) {  // should a name not resolve: one by one, skipping it
        for (std::size_t i = 0; i < std::size(device_id_names); ++i)
            if (!e.get_value(device_id_names[i], device_id[i])) device_id[i].clear();  // the engine logged why: sent empty
        for (std::size_t i = std::size(device_id_names); i < names.size(); ++i) params.add(names[i]);
    }
    for (const dm::ValueChange& c : in.changes) params.add(c.name);
    add_requested(e, in.events, params);

    std::string out;
    soap::Writer w(out, soap::Namespace::Cwmp12, soap::Header{in.id, kSupportedVersions});
    w.open_rpc("Inform");
    w.open("DeviceId");
    w.text("Manufacturer", device_id[0]);
    w.text("OUI", device_id[1]);
    w.text("ProductClass", device_id[2]);
    w.text("SerialNumber", device_id[3]);
    w.close("DeviceId");
    w.open_array("Event", "cwmp:EventStruct", in.events.size());
    for (const tasks::Event& ev : in.events) {
        w.open("EventStruct");
        w.text("EventCode", ev.code);
        w.text("CommandKey", ev.command_key);
        w.close("EventStruct");
    }
    w.close("Event");
    w.number("MaxEnvelopes", 1);
    std::string now;
    dm::format(now, dm::DateTime{in.now});
    w.text("CurrentTime", now);
    w.number("RetryCount", in.retry_count);
    params.write(w);
    w.close_rpc("Inform");
    w.finish();
    return out;
}

std::string build_request_download(const tasks::Tasks::DownloadRequest& r, soap::Namespace ns, std::string_view id) {
    std::string out;
    soap::Writer w(out, ns, id);
    w.open_rpc("RequestDownload");
    w.text("FileType", r.file_type);
    w.open_array("FileTypeArg", "cwmp:ArgStruct", r.args.size());
    for (const auto& [name, value] : r.args) {
        w.open("ArgStruct");
        w.text("Name", name);
        w.text("Value", value);
        w.close("ArgStruct");
    }
    w.close("FileTypeArg");
    w.close_rpc("RequestDownload");
    w.finish();
    return out;
}

namespace {

std::string get_rpc_methods(soap::Namespace ns, std::string_view id) {
    std::string out;
    soap::Writer w(out, ns, id);
    w.open_rpc("GetRPCMethods");
    w.close_rpc("GetRPCMethods");
    w.finish();
    return out;
}

std::string fault_code(const soap::Envelope& e) {
    const soap::Element* detail = e.body.child("detail");
    const soap::Element* f = detail ? detail->child("Fault") : nullptr;
    const soap::Element* code = f ? f->child("FaultCode") : nullptr;
    return code ? code->text : std::string("?");
}

bool lists(const std::optional<std::vector<std::string>>& methods, std::string_view method) {
    return !methods || std::find(methods->begin(), methods->end(), method) != methods->end();
}

}  // namespace

SessionResult Session::run(const InformInput& inform, const CpeRequests& requests) {
    SessionResult result;
    auto fail = [&](std::string why) {
        result.error = std::move(why);
        log_.warning("session failed: " + result.error);
        return result;
    };
    // The per-message lines are built only when they are written (a box logs at warning).
    const bool info = log_.enabled(util::Level::Info);
    if (info) log_.info("session: Inform (" + describe(inform.events) + ") to " + http_.url());
    HttpResponse r = http_.post(build_inform(engine_, inform));
    if (!r.error.empty()) return fail("cannot reach the ACS: " + r.error);
    if (r.status == 401) return fail("the ACS refused our credentials (HTTP 401)");
    if (r.status != 200) return fail("the ACS answered the Inform with HTTP " + std::to_string(r.status));
    soap::ParseResult parsed = soap::parse_envelope(r.body);
    if (!parsed.envelope) return fail("unreadable InformResponse: " + parsed.error);
    const soap::Envelope& answer = *parsed.envelope;
    if (answer.is_fault) return fail("the ACS answered the Inform with fault " + fault_code(answer));
    if (answer.body.name != "InformResponse") return fail("expected InformResponse, got " + answer.body.name);
    result.informed = true;
    if (on_informed_) on_informed_();
    result.ns = answer.cwmp_ns;
    result.cwmp_version = answer.use_version;
    // CWMP 1.4's alias-based addressing, when the ACS chose 1.4.
    engine_.set_alias_addressing(answer.use_version == "1.4");

    // HoldRequests (TR-069 A.2.2): while the last ACS message said
    // true, the CPE sends no request of its own, only responses and empty
    // POSTs; a message without it (an empty HTTP response included) ends it.
    bool hold = answer.hold_requests;
    if (hold) log_.info("session: the ACS holds our requests");

    // Our own requests, in order.  Each is taken when it may be sent, so that
    // what the ACS said meanwhile (its methods, held requests) counts.
    std::optional<std::vector<std::string>> methods = requests.acs_methods;
    bool ask_methods = requests.ask_rpc_methods;
    std::vector<std::uint64_t> sent_transfers, sent_downloads;  // ids taken in this session
    std::size_t seq = 0;
    struct Request {
        std::string body;
        std::string what;      // for the log
        std::string expected;  // the response's name
        std::function<void(bool acknowledged, const soap::Envelope&)> done;
    };
    auto next_request = [&]() -> std::optional<Request> {
        const std::string id = "cpe-" + std::to_string(++seq);
        if (ask_methods) {
            ask_methods = false;
            return Request{get_rpc_methods(result.ns, id), "GetRPCMethods", "GetRPCMethodsResponse",
                           [&](bool ok, const soap::Envelope& e) {
                               if (!ok) {
                                   result.acs_methods_refused = true;
                                   return;
                               }
                               // Kept (persisted) within bounds: method names are
                               // short, and a hostile list must not fill the store.
                               std::vector<std::string> m;
                               if (const soap::Element* list = e.body.child("MethodList"))
                                   for (const soap::Element& item : list->children)
                                       if (m.size() < 256 && !item.text.empty() && item.text.size() <= 64 &&
                                           item.text.find(',') == std::string::npos)
                                           m.push_back(item.text);
                               methods = m;
                               result.acs_methods = std::move(m);
                           }};
        }
        if (tasks_ == nullptr) return std::nullopt;
        // A TransferComplete for each finished transfer, forgotten once the
        // ACS answered it (a failed session sends it again next time).
        for (const tasks::Transfer& t : tasks_->transfers()) {
            if (t.phase != tasks::Transfer::Phase::Done) continue;
            if (std::find(sent_transfers.begin(), sent_transfers.end(), t.id) != sent_transfers.end()) continue;
            sent_transfers.push_back(t.id);
            const std::string rpc = t.autonomous() ? "AutonomousTransferComplete" : "TransferComplete";
            return Request{transfer::transfer_complete(t, result.ns, "tc-" + std::to_string(t.id)),
                           (t.autonomous() ? rpc + " " + t.url : rpc + " " + t.command_key) + " (fault " +
                               std::to_string(t.fault_code) + ")",
                           rpc + "Response", [&, t](bool ok, const soap::Envelope&) {
                               if (!ok) return;
                               tasks_->remove(t.id);
                               if (on_transfer_) on_transfer_(t);
                               ++result.transfers_reported;
                           }};
        }
        // RequestDownload (A.4.2.2), only to an ACS that lists it when its
        // methods are known; an ACS that does not support it never will, so
        // the request is dropped (with its 9 REQUEST DOWNLOAD).
        for (const tasks::Tasks::DownloadRequest& d : tasks_->download_requests()) {
            if (std::find(sent_downloads.begin(), sent_downloads.end(), d.id) != sent_downloads.end()) continue;
            sent_downloads.push_back(d.id);
            if (!lists(methods, "RequestDownload")) {
                log_.warning("session: the ACS does not support RequestDownload; dropped the request for " +
                             d.file_type);
                tasks_->remove_download_request(d.id);
                continue;
            }
            return Request{build_request_download(d, result.ns, id), "RequestDownload " + d.file_type,
                           "RequestDownloadResponse", [&, d](bool ok, const soap::Envelope& e) {
                               // 8000 (method not supported) and argument faults will not
                               // change: dropped; others (8005 retry) keep it for next time.
                               const std::string code = ok ? "" : fault_code(e);
                               if (ok || code == "8000" || code == "8003") {
                                   tasks_->remove_download_request(d.id);
                                   if (ok) ++result.downloads_requested;
                               }
                           }};
        }
        return std::nullopt;
    };

    std::size_t exchanges = 0;
    for (;;) {
        // The CPE's turn (the last ACS message was a response or empty).
        if (!hold) {
            if (std::optional<Request> req = next_request()) {
                if (info) log_.info("session: " + req->what);
                r = http_.post(req->body);
                if (!r.error.empty()) return fail("lost the ACS mid-session: " + r.error);
                if (r.status != 200) return fail("the ACS answered " + req->what + " with HTTP " + std::to_string(r.status));
                if (++exchanges > kMaxExchanges) return fail("too many messages in one session");
                parsed = soap::parse_envelope(r.body);
                if (!parsed.envelope) return fail("unreadable answer to " + req->what + ": " + parsed.error);
                const soap::Envelope& e = *parsed.envelope;
                hold = e.hold_requests;
                if (e.is_fault) {
                    log_.warning("session: the ACS answered " + req->what + " with fault " + fault_code(e));
                    req->done(false, e);
                    // A refused report stays queued for the next session (3.7.1.5).
                    if (req->expected.ends_with("TransferCompleteResponse"))
                        return fail("the ACS did not acknowledge " + req->what);
                    continue;
                }
                if (e.body.name != req->expected)
                    return fail("the ACS answered " + req->what + " with " + e.body.name);
                req->done(true, e);
                continue;
            }
        }
        // No more requests (or held): an empty POST; the ACS's requests follow.
        const bool cpe_done = !hold;
        r = http_.post({});
        for (;; ++exchanges) {
            if (!r.error.empty()) return fail("lost the ACS mid-session: " + r.error);
            if (r.status == 204 || (r.status == 200 && r.body.empty())) break;
            if (r.status != 200) return fail("the ACS answered with HTTP " + std::to_string(r.status));
            if (exchanges >= kMaxExchanges) return fail("too many requests in one session");
            parsed = soap::parse_envelope(r.body);
            if (!parsed.envelope) {
                // Answer what cannot be read with a fault rather than dropping the session.
                log_.warning("unreadable ACS request: " + parsed.error);
                r = http_.post(cpe_.answer(r.body));
                continue;
            }
            const soap::Envelope& request = *parsed.envelope;
            hold = request.hold_requests;
            if (request.is_fault || request.body.name.ends_with("Response")) {
                // A response to a request of ours (none outstanding): go on.
                r = http_.post({});
                continue;
            }
            if (info) log_.info("session: ACS asks " + request.body.name + (hold ? " [HoldRequests]" : ""));
            std::string response;
            cpe_.answer(request, response);
            ++result.acs_requests;
            r = http_.post(response);
        }
        // An empty answer: the ACS has no more requests, and holds none of ours.
        if (cpe_done) break;
        hold = false;
        log_.info("session: the ACS released our requests");
    }
    result.completed = true;
    if (info) log_.info("session: ended by the ACS after " + std::to_string(result.acs_requests) + " request(s)");
    return result;
}

}  // namespace cwmp::session
