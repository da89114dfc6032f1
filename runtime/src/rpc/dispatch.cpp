// Answering one ACS request: find the method, run its handler, and turn a
// failure into the CWMP fault envelope.
#include <algorithm>
#include <array>
#include <exception>

#include "args.h"
#include "call.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/util/log.h"

namespace cwmp::rpc {
namespace {

struct Method {
    std::string_view name;
    Handler handler;
    soap::Namespace since = soap::Namespace::Cwmp10;  // the first CWMP schema that has it
};

// TR-069 Table 5 order (GetRPCMethods lists them so).
constexpr std::array kMethods = {
    Method{"GetRPCMethods", &get_rpc_methods},
    Method{"SetParameterValues", &set_parameter_values},
    Method{"GetParameterValues", &get_parameter_values},
    Method{"GetParameterNames", &get_parameter_names},
    Method{"SetParameterAttributes", &set_parameter_attributes},
    Method{"GetParameterAttributes", &get_parameter_attributes},
    Method{"AddObject", &add_object},
    Method{"DeleteObject", &delete_object},
    Method{"Reboot", &reboot},
    Method{"Download", &download},
    Method{"Upload", &upload},
    Method{"FactoryReset", &factory_reset},
    Method{"GetQueuedTransfers", &get_queued_transfers},
    Method{"GetAllQueuedTransfers", &get_all_queued_transfers, soap::Namespace::Cwmp11},
    Method{"ScheduleInform", &schedule_inform},
    Method{"ScheduleDownload", &schedule_download, soap::Namespace::Cwmp12},
    Method{"CancelTransfer", &cancel_transfer, soap::Namespace::Cwmp12},
};

constexpr std::array<std::string_view, kMethods.size()> kNames = [] {
    std::array<std::string_view, kMethods.size()> names{};
    for (std::size_t i = 0; i < kMethods.size(); ++i) names[i] = kMethods[i].name;
    return names;
}();

void write_fault(std::string& out, soap::Namespace ns, std::string_view id, const dm::Outcome& failure) {
    soap::Writer w(out, ns, id);
    w.open_fault(failure.code, failure.message);
    for (const dm::NameFault& f : failure.details) w.set_parameter_values_fault(f.name, f.code, f.message);
    w.close_fault();
    w.finish();
}

// What a handler threw (called in its catch block), as the one kind of
// fault the dispatcher answers with: an RpcError is a fault the handler
// meant (a bad argument) and passes as it is; anything else (a store that
// fails outside the engine, a bug) is a fault of ours: 9002, or 9004 out of
// memory, whose FaultString and log line name the method and the cause.
dm::Outcome thrown_fault(std::string_view method, const util::Log* log) {
    try {
        throw;
    } catch (const RpcError& e) {
        return dm::Outcome::fail(e.code(), e.what());
    } catch (...) {
        const CaughtFault caught = caught_fault();
        std::string text = fault_text(caught.code, std::string(method) + " failed: " + caught.cause);
        if (log != nullptr) log->error("RPC " + text);
        return dm::Outcome::fail(caught.code, std::move(text));
    }
}

}  // namespace

std::span<const std::string_view> Cpe::methods() noexcept { return kNames; }

std::vector<std::string_view> Cpe::methods(soap::Namespace ns) {
    std::vector<std::string_view> names;
    for (const Method& m : kMethods)
        if (m.since <= ns) names.push_back(m.name);
    return names;
}

void Cpe::answer(const soap::Envelope& request, std::string& out) {
    const std::size_t start = out.size();
    // A method the session's CWMP version does not have is not supported.
    const auto* method = std::find_if(kMethods.begin(), kMethods.end(), [&](const Method& m) {
        return m.name == request.body.name && m.since <= request.cwmp_ns;
    });
    dm::Outcome result;
    if (request.is_fault || method == kMethods.end()) {
        result = dm::Outcome::fail(Fault::MethodNotSupported, "method " + request.body.name + " not supported");
    } else {
        try {
            soap::Writer w(out, request.cwmp_ns, request.id);
            Call call{request.body, request.cwmp_ns, engine_, tasks_, w};
            result = method->handler(call);
            if (result) w.finish();
        } catch (...) {  // the session goes on
            result = thrown_fault(request.body.name, log_);
        }
    }
    if (result) return;
    out.resize(start);
    write_fault(out, request.cwmp_ns, request.id, result);
}

std::string Cpe::answer(std::string_view bytes, const soap::Limits& limits) {
    std::string out;
    soap::ParseResult parsed = soap::parse_envelope(bytes, limits);
    if (!parsed.envelope) {
        write_fault(out, soap::Namespace::Cwmp12, {},
                    dm::Outcome::fail(Fault::InvalidArguments, "bad request: " + parsed.error));
        return out;
    }
    answer(*parsed.envelope, out);
    return out;
}

}  // namespace cwmp::rpc
