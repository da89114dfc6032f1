#include "cwmp/session/session.h"

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
    explicit InformParameters(dm::Engine& e) : engine_(e) {}

    void add(const std::string& name) {
        (void)engine_.get_values(std::span(&name, 1), [&](std::string_view n, const dm::Param& p, std::string_view v) {
            keep(n, p, v);
        });
    }
    void keep(std::string_view n, const dm::Param& p, std::string_view v) {
        if (seen_.insert(std::string(n)).second) items_.push_back({std::string(n), dm::wire_type(p), std::string(v)});
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
    std::set<std::string> seen_;
    std::vector<Item> items_;
};


// ManagementServer.InformParameter rows: enabled ones whose EventList is
// empty or names one of this Inform's events.
void add_requested(dm::Engine& e, const std::vector<agent::Event>& events, InformParameters& out) {
    const std::string table = "Device.ManagementServer.InformParameter.";
    std::map<std::string, std::map<std::string, std::string>> rows;  // instance path -> leaf -> value
    const std::string all[] = {table};
    (void)e.get_values(all, [&](std::string_view n, const dm::Param&, std::string_view v) {
        const std::size_t dot = n.rfind('.');
        rows[std::string(n.substr(0, dot + 1))][std::string(n.substr(dot + 1))] = std::string(v);
    });
    for (auto& [path, row] : rows) {
        if (row["Enable"] != "true" && row["Enable"] != "1") continue;
        const std::string& wanted = row["EventList"];
        bool match = wanted.empty();
        for (std::string_view code : dm::split_list(wanted))
            for (const agent::Event& ev : events) match = match || ev.code == code;
        if (match && !row["ParameterName"].empty()) out.add(row["ParameterName"]);
    }
}

std::string describe(const std::vector<agent::Event>& events) {
    std::string s;
    for (const agent::Event& e : events) {
        if (!s.empty()) s += ", ";
        s += e.code;
        if (!e.command_key.empty()) s += " [" + e.command_key + "]";
    }
    return s;
}

}  // namespace

std::string build_inform(dm::Engine& e, const InformInput& in) {
    // The DeviceId values and the forced Inform parameters in one read.
    static const std::string kDeviceId[] = {"Device.DeviceInfo.Manufacturer", "Device.DeviceInfo.ManufacturerOUI",
                                            "Device.DeviceInfo.ProductClass", "Device.DeviceInfo.SerialNumber"};
    std::vector<std::string> names(std::begin(kDeviceId), std::end(kDeviceId));
    for (const dm::Param& p : e.schema().params)
        if (p.forced_inform && p.path.find("{i}") == std::string_view::npos) names.emplace_back(p.path);
    std::string device_id[std::size(kDeviceId)];
    InformParameters params(e);
    std::size_t at = 0;  // names are visited in order
    auto read = [&](std::string_view n, const dm::Param& p, std::string_view v) {
        if (at < std::size(kDeviceId)) {
            device_id[at++] = v;
        } else {
            params.keep(n, p, v);
        }
    };
    if (!e.get_values(names, read)) {  // should a name not resolve: one by one, skipping it
        for (std::size_t i = 0; i < std::size(kDeviceId); ++i) (void)e.get_value(kDeviceId[i], device_id[i]);
        for (std::size_t i = std::size(kDeviceId); i < names.size(); ++i) params.add(names[i]);
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
    for (const agent::Event& ev : in.events) {
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

SessionResult Session::run(const InformInput& inform) {
    SessionResult result;
    auto fail = [&](std::string why) {
        result.error = std::move(why);
        log_.warning("session failed: " + result.error);
        return result;
    };
    log_.info("session: Inform (" + describe(inform.events) + ") to " + http_.url());
    HttpResponse r = http_.post(build_inform(engine_, inform));
    if (!r.error.empty()) return fail("cannot reach the ACS: " + r.error);
    if (r.status == 401) return fail("the ACS refused our credentials (HTTP 401)");
    if (r.status != 200) return fail("the ACS answered the Inform with HTTP " + std::to_string(r.status));
    soap::ParseResult parsed = soap::parse_envelope(r.body);
    if (!parsed.envelope) return fail("unreadable InformResponse: " + parsed.error);
    const soap::Envelope& answer = *parsed.envelope;
    if (answer.is_fault) {
        const soap::Element* detail = answer.body.child("detail");
        const soap::Element* f = detail ? detail->child("Fault") : nullptr;
        const soap::Element* code = f ? f->child("FaultCode") : nullptr;
        return fail("the ACS answered the Inform with fault " + (code ? code->text : std::string("?")));
    }
    if (answer.body.name != "InformResponse") return fail("expected InformResponse, got " + answer.body.name);
    result.informed = true;
    if (on_informed_) on_informed_();
    result.ns = answer.cwmp_ns;
    result.cwmp_version = answer.use_version;
    // CWMP 1.4's alias-based addressing, when the ACS chose 1.4.
    engine_.set_alias_addressing(answer.use_version == "1.4");

    // Our own requests: a TransferComplete for each finished transfer, forgotten
    // once the ACS answered it (a failed session sends it again next time).
    if (tasks_ != nullptr) {
        for (const agent::Transfer& t : tasks_->transfers()) {
            if (t.phase != agent::Transfer::Phase::Done) continue;
            log_.info(std::string("session: ") + (t.autonomous() ? "AutonomousTransferComplete " + t.url
                                                                 : "TransferComplete " + t.command_key) +
                      " (fault " + std::to_string(t.fault_code) + ")");
            r = http_.post(transfer::transfer_complete(t, result.ns, "tc-" + std::to_string(t.id)));
            if (!r.error.empty()) return fail("lost the ACS mid-session: " + r.error);
            if (r.status != 200) return fail("the ACS answered TransferComplete with HTTP " + std::to_string(r.status));
            parsed = soap::parse_envelope(r.body);
            const std::string expected = t.autonomous() ? "AutonomousTransferCompleteResponse" : "TransferCompleteResponse";
            if (!parsed.envelope || parsed.envelope->body.name != expected)
                return fail("the ACS did not acknowledge " + expected.substr(0, expected.size() - 8));
            tasks_->remove(t.id);
            if (on_transfer_) on_transfer_(t);
            ++result.transfers_reported;
        }
    }
    r = http_.post({});
    for (std::size_t exchanges = 0;; ++exchanges) {
        if (!r.error.empty()) return fail("lost the ACS mid-session: " + r.error);
        if (r.status == 204 || (r.status == 200 && r.body.empty())) break;
        if (r.status != 200) return fail("the ACS answered with HTTP " + std::to_string(r.status));
        if (exchanges == kMaxExchanges) return fail("too many requests in one session");
        parsed = soap::parse_envelope(r.body);
        if (!parsed.envelope) {
            // Answer what cannot be read with a fault rather than dropping the session.
            log_.warning("unreadable ACS request: " + parsed.error);
            r = http_.post(cpe_.answer(r.body));
            continue;
        }
        const soap::Envelope& request = *parsed.envelope;
        if (request.is_fault || request.body.name.ends_with("Response")) {
            // A response to a request of ours (none outstanding): go on.
            r = http_.post({});
            continue;
        }
        log_.info("session: ACS asks " + request.body.name);
        std::string response;
        cpe_.answer(request, response);
        ++result.acs_requests;
        r = http_.post(response);
    }
    result.completed = true;
    log_.info("session: ended by the ACS after " + std::to_string(result.acs_requests) + " request(s)");
    return result;
}

}  // namespace cwmp::session
