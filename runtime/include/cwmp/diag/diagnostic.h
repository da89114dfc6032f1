// One TR-143 diagnostic as the runner sees it: the object it lives in, the
// test it runs on a worker thread (inputs in, results out, no access to the
// data model), and the rules of its inputs the types cannot say.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/fault.h"

namespace cwmp::diag {

// A run's inputs: the object's parameters by full path, read by the agent
// thread when the run starts, and the device name of the IP.Interface its
// Interface references ("" for none).
struct Params {
    std::map<std::string, std::string, std::less<>> values;
    std::string device;
};

// A run's results as the model's values, at the profile's full paths
// (diag/fields.h maps a test's typed results there); `tables` are the
// result tables it fills ("...RouteHops." -> n rows), emptied and given
// rows 1..n.
struct Output {
    std::string state = "Complete";  // DiagnosticsState: Complete or the model's Error_* value
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::pair<std::string, std::uint32_t>> tables;

    void set(std::string name, std::string value) { values.emplace_back(std::move(name), std::move(value)); }
    static Output error(std::string state) {
        Output o;
        o.state = std::move(state);
        return o;
    }
};

// A test: blocks its worker thread until done, looking at `stop` at least
// every 100 ms (a cancel or SIGTERM ends it at once).
using Test = std::function<Output(const Params& params, std::stop_token stop)>;

// A rule for a value the ACS writes to an input (its full name):
// Fault::None or 9007 with why.
using Check = std::function<Fault(std::string_view name, std::string_view value, std::string& why)>;

// Names are full paths of the profile, as the generator resolves them
// (dm::ModelPaths): "" where the profile lacks one, which is then skipped.
struct Diagnostic {
    std::string object;                       // "Device.IP.Diagnostics.IPPing."
    std::string state;                        // its DiagnosticsState
    std::string interface;                    // its Interface ("": none)
    Test test;
    // Emptied when a run starts: their rows ("Device.IP.Diagnostics.TraceRoute.RouteHops.{i}.").
    std::vector<std::string> result_tables;
    std::vector<std::pair<std::string, std::string>> defaults;  // inputs' defaults (path, value)
    Check check;                              // may be empty
    // Values that describe the implementation (path of DownloadTransports, ...), set at start.
    std::vector<std::pair<std::string, std::string>> capabilities;
};

}  // namespace cwmp::diag
